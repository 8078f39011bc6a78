"""Drive ``apebench explore`` in headless Chromium (Debian package ``chromium``) over the DevTools
protocol: start the server on a free local port, load a page, wait (bounded, in real time) until
the rendered DOM holds what is expected, dump it and take a screenshot.

Used by ``tests/explore/test_browser.py`` (which also regenerates the screenshots under
``docs/``) and by ``benchmarks/bench_explore.py`` (first paint, scenario switch).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
WINDOW = (1400, 1000)


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


@contextlib.contextmanager
def explorer(results_dir: str | os.PathLike | None = None, *, timeout: float = 120) -> Iterator[str]:
    """``apebench explore [RESULTS_DIR] --port P --host 127.0.0.1`` running; yields its base URL."""
    port = free_port()
    args = [sys.executable, "-m", "apebench_core", "explore", "--port", str(port), "--host", "127.0.0.1"]
    if results_dir is not None:
        args.insert(4, str(results_dir))
    env = dict(os.environ, APEBENCH_NO_PROGRESS="1")
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(
            lambda: server.poll() is not None or _healthy(f"{base}/_stcore/health"), timeout, "the server"
        )
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"apebench explore exited: {log.read().decode(errors='replace')}")
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


class Browser:
    """One headless Chromium with a fresh profile, one page, driven over the DevTools protocol."""

    def __init__(self, chromium: str):
        from websockets.sync.client import connect

        self._profile = tempfile.TemporaryDirectory(prefix="apebench-chromium-", ignore_cleanup_errors=True)
        port = free_port()
        self._process = subprocess.Popen(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self._profile.name}",
                f"--remote-debugging-port={port}",
                f"--window-size={WINDOW[0]},{WINDOW[1]}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        targets: list = []

        def page_listed() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as response:
                    targets[:] = [t for t in json.load(response) if t.get("type") == "page"]
            except OSError:
                return False
            return bool(targets)

        _wait_for(page_listed, 60, "Chromium's DevTools endpoint")
        self._stack = contextlib.ExitStack()
        self._socket = self._stack.enter_context(
            connect(targets[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=30)
        )
        self._ids = itertools.count(1)
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WINDOW[0],
            height=WINDOW[1],
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method: str, **params: object) -> dict:
        message_id = next(self._ids)
        self._socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            reply = json.loads(self._socket.recv(timeout=120))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def evaluate(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def dom(self) -> str:
        return str(self.evaluate("document.documentElement.outerHTML"))

    def wait_rendered(self, expected: list[str], timeout: float = 180) -> str:
        """The DOM once it holds every ``expected`` text, the script run is over and every
        image has loaded (polled in real time: Streamlit renders in the browser)."""
        idle = (
            "!document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"]')"
            " && Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
        )
        found: list[str] = []

        def ready() -> bool:
            found[:] = [self.dom()]
            return all(text in found[0] for text in expected) and bool(self.evaluate(idle))

        _wait_for(ready, timeout, f"the page to show {expected}")
        return found[0]

    def screenshot(self, path: str | os.PathLike) -> Path:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stack.close()
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: What each page must show in the browser: (query string, texts the DOM must contain).
FIGURE = 'data-testid="stImage"'
PAGES = {
    "scenarios": ("?page=scenarios&scenario=diff_ks", ["diff_ks", "diff_adv", FIGURE]),
    "results": ("?page=results", ["configurations to compare", FIGURE]),
    "components": ("?page=components", ["Components", "Plugins", 'data-testid="stDataFrame"']),
}


def capture_pages(base_url: str, folder: str | os.PathLike, chromium: str) -> dict[str, dict]:
    """Load every page, wait until rendered and screenshot it into ``folder`` as
    ``explore-<page>.png``; returns per page the seconds to render, the PNG and the dumped DOM."""
    out = {}
    with Browser(chromium) as browser:
        for page, (query, expected) in PAGES.items():
            started = time.perf_counter()
            browser.navigate(base_url + "/" + query)
            dom = browser.wait_rendered(expected)
            seconds = time.perf_counter() - started
            png = browser.screenshot(Path(folder) / f"explore-{page}.png")
            out[page] = {"seconds": seconds, "png": png, "dom": dom}
    return out


def png_is_blank(path: str | os.PathLike) -> bool:
    """True when every pixel of the PNG has the same colour."""
    from PIL import Image

    with Image.open(path) as image:
        extrema = image.convert("RGB").getextrema()
    return all(low == high for low, high in extrema)
