"""Training and measurement, above the core: the corpus in, a model file and its card out.

Reads and validates the labelled corpus, trains the gap model, tunes thresholds and scores
labelled sets. As in spaCy, training uses the pipeline and the pipeline never imports it.
"""
