"""What the commands share: engine options, output choice, and turning errors into one line."""
from __future__ import annotations

import errno
import functools
import signal
import threading
import warnings
from contextlib import contextmanager

import click

from ..errors import GapfinderError

FORMATS = ("text", "json", "jsonl", "csv")


def engine_options(func):
    """--model, --rules, --rules-only and --max-text-bytes, shared by classify and batch."""
    func = click.option("--max-text-bytes", type=click.IntRange(min=1), default=None,
                        help="Largest text to analyse, in bytes (default 1,000,000).")(func)
    func = click.option("--rules-only", is_flag=True, help="Use the rules without the trained model.")(func)
    func = click.option("--rules", "rules_path", type=click.Path(), default=None,
                        help="Folder of rule files to use instead of the shipped ones.")(func)
    func = click.option("--model", "model_path", type=click.Path(), default=None,
                        help="Model card (or its folder) to use instead of the shipped model.")(func)
    return func


def debug_option(func):
    return click.option("--debug", is_flag=True, help="Show full error details (tracebacks).")(func)


def build_engine(model_path, rules_path, rules_only: bool, limits):
    from ..core.engine import Engine

    return Engine(model_path=model_path, rules_path=rules_path, use_model=not rules_only, limits=limits)


def default_format(stream) -> str:
    return "text" if stream.isatty() else "jsonl"


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl-C so that every cleanup runs (the old output
    file stays, the temporary one is removed)."""


def _raise_stopped(signum, frame):
    raise Stopped(signal.Signals(signum).name)


@contextmanager
def _stop_signals_raise():
    """SIGTERM and SIGHUP end the command as Ctrl-C does (main thread only)."""
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_OS_CAUSES = {errno.ENOSPC: "the disk is full", errno.EACCES: "permission denied", errno.EPERM: "permission denied",
              errno.EROFS: "it is on a read-only file system", errno.ENOENT: "no such file or folder",
              errno.EDQUOT: "the disk quota is used up", errno.EMFILE: "too many open files"}


def os_error_line(exc: OSError) -> str:
    """One line for an ordinary fault of the system, naming the path when there is one."""
    cause = _OS_CAUSES.get(exc.errno, exc.strerror or type(exc).__name__)
    return f"{exc.filename}: {cause}" if exc.filename else f"a system call failed: {cause}"


def friendly_errors(func):
    """Run a command; turn library errors and ordinary faults into one clear line, exit code 1.

    "something went wrong inside gapfinder" is left for real bugs only."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from ..write.safe_text import terminal_safe

        debug = kwargs.get("debug", False)
        warnings.showwarning = _show_warning
        try:
            with _stop_signals_raise():
                return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except GapfinderError as exc:
            if debug:
                raise
            raise click.ClickException(terminal_safe(str(exc)).replace("\n", " ")) from None
        except KeyboardInterrupt as exc:
            how = str(exc) if isinstance(exc, Stopped) else "Ctrl-C"
            raise click.ClickException(f"stopped by {how} before the end; an output file given "
                                       "with -o was left as it was") from None
        except MemoryError:
            raise click.ClickException("ran out of memory; try a smaller input or lower limits") from None
        except OSError as exc:
            if debug:
                raise
            raise click.ClickException(terminal_safe(os_error_line(exc))) from None
        except Exception as exc:  # never a traceback for a user, unless asked
            if debug:
                raise
            raise click.ClickException(
                f"something went wrong inside gapfinder ({type(exc).__name__}: {exc}); "
                "run again with --debug for details".replace("\n", " ")
            ) from None

    return wrapper


def _show_warning(message, category, filename, lineno, file=None, line=None):
    click.echo(f"warning: {message}", err=True)
