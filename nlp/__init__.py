"""SOC report extraction: PDF text with geometry -> sections -> extractors -> dataclasses.

Importing this package is cheap and web-free; the public API lives in
``nlp.extract`` (``extract_report``, ``ExtractionLimits``).
"""
