"""Generator of the blind evaluation corpus (tests/corpus_blind). See tests/corpus_blind/README.md."""
