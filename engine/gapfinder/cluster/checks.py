"""Checks made on the caller's side before any work is sent out, so a mistake is one plain line.

An optional extra that is missing, or a column name that is not in the frame, would
otherwise surface as a long traceback from inside Dask or Spark, minutes into a job.
"""
from __future__ import annotations

import importlib

from ..errors import InputError, MissingExtraError


def require_extra(modules: tuple[str, ...], extra: str, what: str) -> None:
    """Import `modules`, or raise MissingExtraError with the pip command that installs them."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            raise MissingExtraError(
                f'gapfinder.{extra} needs {what}, which is not installed here; install it with: '
                f'pip install "gapfinder[{extra}]"') from None


def check_columns(columns, wanted: dict[str, str | None]) -> None:
    """Every named column (argument name -> column name; None = not used) must be present."""
    present = [str(c) for c in columns]
    for argument, column in wanted.items():
        if column is not None and column not in present:
            raise InputError(
                f'the frame has no column "{column}" (given as {argument}=); its columns are '
                f'{", ".join(present) or "none"}: pass {argument}="..." with the right name')
