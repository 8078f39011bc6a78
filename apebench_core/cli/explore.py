"""``apebench explore``: start the Streamlit explorer (the optional extra ``apebench-core[explore]``)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import click

from ..plugin.errors import ApebenchError
from .app import main

INSTALL_HINT = "pip install 'apebench-core[explore]'"


def streamlit_command(port: int, host: str) -> list[str]:
    from ..explore import APP_PATH

    return [
        sys.executable, "-m", "streamlit", "run", str(APP_PATH),
        "--server.port", str(port),
        "--server.address", host,
        "--server.headless", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
    ]  # fmt: skip


@main.command("explore")
@click.argument("results_dir", required=False, type=click.Path(path_type=Path))
@click.option(
    "--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help="Port to serve on."
)
@click.option("--host", default="localhost", show_default=True, help="Address to serve on.")
def explore_command(results_dir: Path | None, port: int, host: str) -> None:
    """Browse scenarios, a study's RESULTS_DIR and the components in a browser (offline)."""
    if importlib.util.find_spec("streamlit") is None:
        raise ApebenchError(f"apebench explore needs Streamlit: {INSTALL_HINT}")
    from ..explore import RESULTS_ENV

    env = dict(os.environ)
    if results_dir is not None:
        env[RESULTS_ENV] = str(results_dir.expanduser().resolve())
    click.echo(f"apebench explore: http://{host}:{port} (Ctrl-C stops)", err=True)
    command = streamlit_command(port, host)
    if os.name == "posix":  # become the server: signals reach Streamlit itself, no orphan is left
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, command, env)
    try:
        code = subprocess.call(command, env=env)
    except KeyboardInterrupt:
        code = 0
    sys.exit(code)
