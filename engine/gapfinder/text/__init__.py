"""Stage 2, text: cleaned text in, sentences, lemmas, phrase matches and features out.

Builds on `spacy.blank("en")`: an email-aware sentence splitter, lookup lemmas held as
arrays, a phrase matcher over lemma hashes and the hashed n-gram features the gap model
scores. No knowledge of labels or rules: plain arrays and offsets leave this stage.
"""
