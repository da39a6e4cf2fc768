"""Synthetic SOC report generator: the labelled evaluation corpus for ``nlp``.

Every report is rendered with reportlab from a :class:`~tools.socgen.model.ReportSpec`
built deterministically from a seed; the expected extraction (``NAME.expected.json``)
is written from that same spec plus the page numbers recorded while the PDF was
drawn, never from running the extractor.
"""
