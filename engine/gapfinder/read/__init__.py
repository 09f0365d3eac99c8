"""Stage 1, reading: inputs in, plain `Message`s out.

Takes what a user points gapfinder at (text, files, `.eml`, mbox, Maildir, JSONL, folders,
standard input) and gives `Message(id, source, text, meta)` records, or error records for
input that cannot be used. Email parsing, MIME part choice, HTML to text, charsets and the
removal of quoted replies and signatures all happen here, under the limits in `limits.py`.
Imports only the shared contracts at the package root (`errors`, `labels`, `limits`).
"""
