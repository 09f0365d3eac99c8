"""Check and normalise one input text before analysis.

Offsets in results must index the text the user gave us, so normalisation never changes the
length: control characters become spaces and lone surrogates become U+FFFD, one for one.
"""
from __future__ import annotations

import re

from ..errors import InputError
from ..limits import DEFAULT_LIMITS, Limits

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def prepare_text(text: object, limits: Limits = DEFAULT_LIMITS) -> str:
    """Return the text to analyse, or raise InputError with a one-line reason."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"the text is not valid UTF-8 (byte {exc.start})") from None
    if not isinstance(text, str):
        raise InputError(f"expected text, got {type(text).__name__}")
    text = SURROGATE.sub("\ufffd", text)
    size = len(text.encode("utf-8"))
    if size > limits.max_text_bytes:
        raise InputError(
            f"the text is {size:,} bytes, over the limit of {limits.max_text_bytes:,} "
            "(raise it with --max-text-bytes)"
        )
    if "\x00" in text and text.count("\x00") > len(text) // 10:
        raise InputError("the input looks like binary data, not text")
    text = CONTROL.sub(" ", text)
    if not text.strip():
        raise InputError("the text is empty")
    return text
