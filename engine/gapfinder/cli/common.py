"""What the commands share: engine options, output choice, and turning errors into one line."""
from __future__ import annotations

import functools
import sys
import warnings

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


def friendly_errors(func):
    """Run a command; turn library errors into one clear line and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        debug = kwargs.get("debug", False)
        warnings.showwarning = _show_warning
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except GapfinderError as exc:
            if debug:
                raise
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            raise click.Abort() from None
        except BrokenPipeError:
            sys.stderr.close()
            raise click.exceptions.Exit(1) from None
        except Exception as exc:  # never a traceback for a user, unless asked
            if debug:
                raise
            raise click.ClickException(
                f"something went wrong inside gapfinder ({type(exc).__name__}: {exc}); "
                "run again with --debug for details"
            ) from None

    return wrapper


def _show_warning(message, category, filename, lineno, file=None, line=None):
    click.echo(f"warning: {message}", err=True)
