"""Stage 4, the core: texts in, `Analysis` results out.

`Engine` is what `gapfinder.load()` returns: it builds the pipeline once, runs the text and
rulebook stages, scores sentences with the shipped gap model, combines rule evidence with
model scores into gaps and strengths with evidence spans, and maps gaps to actions. Also the
spaCy component (`nlp.add_pipe("gapfinder")`) and the worker pool for `n_process`.
"""
