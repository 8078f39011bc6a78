"""The ``apebench`` group and its one error funnel; commands register themselves on ``main``."""

from __future__ import annotations

import sys
import warnings
from typing import Any

import click

from .. import __version__
from ..plugin.errors import ApebenchError, ConfigError


class _CleanErrors(click.Group):
    """The one funnel for errors: each becomes one ``error:`` line and exit code 1, never a
    traceback, unless ``--debug``. Mistakes in the input say what was wrong; anything else
    is named by its type, with a pointer to ``--debug``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # noqa: BLE001 - the funnel
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for line in _error_lines(error):
                click.echo(f"error: {line}", err=True)
            sys.exit(1)


def _error_lines(error: BaseException) -> list[str]:
    """One line per error (a study with several bad configurations has several)."""
    if isinstance(error, (ApebenchError, ValueError, OSError)):
        text = str(error)
        if isinstance(error, ConfigError):  # the usage hint joins the message's line
            text = "; ".join(part.strip() for part in text.splitlines())
        return [line.strip() for line in text.splitlines() if line.strip()] or [type(error).__name__]
    return [f"{type(error).__name__}: {error} (unexpected; rerun with --debug for the traceback)"]


@click.group(cls=_CleanErrors)
@click.version_option(__version__, prog_name="apebench")
@click.option("--debug", is_flag=True, help="Show full tracebacks.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Benchmark autoregressive neural PDE emulators; discover components with `apebench list`."""
    ctx.obj = {"debug": debug}
    if not debug:
        warnings.showwarning = _one_line_warning


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    click.echo(f"warning: {message}", err=True)
