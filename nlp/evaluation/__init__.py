"""Scoring an extractor against the labelled corpus (see nlp/evaluate.py).

Standard library only: this package must not add dependencies to ``nlp``.
"""
from .matching import (NAME_THRESHOLD, RESPONSE_THRESHOLD, TEXT_THRESHOLD, exception_similarity, greedy_match,
                       name_similarity, text_similarity)
from .scoring import FLOORS, LISTS, METADATA_FIELDS, CorpusScore, ReportScore, score_corpus, score_report

__all__ = ["FLOORS", "LISTS", "METADATA_FIELDS", "NAME_THRESHOLD", "RESPONSE_THRESHOLD", "TEXT_THRESHOLD",
           "CorpusScore", "ReportScore", "exception_similarity", "greedy_match", "name_similarity", "score_corpus",
           "score_report", "text_similarity"]
