"""The exceptions gapfinder raises. The library raises; only the CLI turns them into messages.

    GapfinderError (ValueError)
    ├── RuleError        a rule file is malformed: "file:line: what is wrong"
    ├── ModelError       a model file or its card is missing, tampered with or unreadable
    └── InputError       a text cannot be analysed (empty, binary, too large, ...)

    MissingExtraError (GapfinderError, ImportError)
                         an optional extra (gapfinder[dask], gapfinder[spark]) is not installed
"""


class GapfinderError(ValueError):
    """Base class: anything gapfinder reports about its inputs, rules or models."""


class RuleError(GapfinderError):
    """A rule file is malformed; the message names the file and line."""


class ModelError(GapfinderError):
    """A model file is missing, does not match its card, or cannot be read."""


class InputError(GapfinderError):
    """An input text cannot be analysed; the message says why in one line."""


class MissingExtraError(GapfinderError, ImportError):
    """An optional extra is not installed; the message is the one-line pip command to fix it."""
