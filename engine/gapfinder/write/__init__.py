"""The last stage, writing: `Analysis` results in, text, JSON, JSONL, CSV out.

Result records (batch records carry the email's metadata), output formats, atomic
output files, the progress line and the batch summary.
"""
