"""Atheris fuzz harness for the email reader (`read_email`) and the mbox splitter
(`gapfinder.read.sources.split_mbox`).

Run (from /work/main; artefacts and the growing corpus stay under /tmp/fuzz):

    .venv/bin/pip install atheris
    mkdir -p /tmp/fuzz/email_corpus
    .venv/bin/python tests/fuzz/fuzz_email.py /tmp/fuzz/email_corpus tests/fixtures/mail \
        -artifact_prefix=/tmp/fuzz/ -max_total_time=600 -timeout=20 -rss_limit_mb=4096

(The short form `.venv/bin/python tests/fuzz/fuzz_email.py -max_total_time=600` also works,
but starts from no seeds and writes crash files to the working directory.) Re-run one crash
with `.venv/bin/python tests/fuzz/fuzz_email.py /tmp/fuzz/crash-<sha1>`.

Each input is read three ways: as one email, as an mbox split with a generous size limit,
and as an mbox with a small limit (the last byte picks it) so over-size messages are
exercised. read_email must never raise, and every Message must carry either text or a
one-line error; split_mbox may only raise for I/O errors, which BytesIO never has.
"""
from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports(include=["gapfinder"]):
    from gapfinder.read.email_reader import looks_like_email, read_email
    from gapfinder.read.message import Message
    from gapfinder.read.quoted_reply import excluded_ranges, new_text  # noqa: F401
    from gapfinder.read.sources import split_mbox


def _check(msg, source: str) -> None:
    if not isinstance(msg, Message) or msg.source != source or not isinstance(msg.id, str):
        raise AssertionError(f"bad message record {msg!r}")
    if (msg.text is None) == (msg.error is None):
        raise AssertionError(f"a message needs exactly one of text and error: {msg!r}")
    if msg.error is not None and (not msg.error or "\n" in msg.error):
        raise AssertionError(f"error is not one line: {msg.error!r}")


def TestOneInput(data: bytes) -> None:
    _check(read_email(data, "fuzz.eml"), "fuzz.eml")
    looks_like_email(data[:4096])
    small = 1 + (data[-1] * 16 if data else 0)
    for limit in (10_000_000, small):
        for number, (raw, size) in enumerate(split_mbox(io.BytesIO(data), limit)):
            if raw is None:
                if size <= limit:
                    raise AssertionError(f"message of {size} bytes dropped under limit {limit}")
                continue
            if len(raw) > size or size > limit:
                raise AssertionError(f"message of {len(raw)} bytes reported as {size}")
            if limit != small:
                _check(read_email(raw, f"fuzz.mbox#{number}"), f"fuzz.mbox#{number}")


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
