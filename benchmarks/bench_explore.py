"""First paint and scenario switch of ``apebench explore``, in headless Chromium and in process.

    python benchmarks/bench_explore.py [--repeats 5]

Browser (``apebench explore`` on a free port, Chromium over the DevTools protocol, the same
code path as ``tests/explore/test_browser.py``):
  * first paint, cold: a fresh server, the default 1D scenario (``diff_adv``): navigation
    until the figures are drawn and the script run is over (JAX import and data included);
  * first paint, warm: a new browser session on the same, now cached, scenario;
  * scenario switch: the ``scenario`` select box changed in the page (typed, Enter) to a
    scenario whose data are cached, until the new figures are drawn.
In process (Streamlit's ``AppTest``, no browser): the same switch, as the harness's wall time
and as the script's own time (the page's "drawn in" caption).
Needs the Debian package ``chromium``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))

from explore_browser import FIGURE, Browser, explorer, find_chromium  # noqa: E402


def switch_in_page(browser: Browser, scenario: str) -> float:
    """Type ``scenario`` into the scenario select box and wait until its figures are drawn."""
    started = time.perf_counter()
    browser.evaluate(
        "Array.from(document.querySelectorAll('[data-testid=\"stSelectbox\"]'))"
        ".find(b => b.innerText.startsWith('scenario')).querySelector('input').focus()"
    )
    browser.call("Input.insertText", text=scenario)
    for kind in ("keyDown", "keyUp"):
        browser.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13)
    browser.wait_rendered([f"{scenario}: drawn in", FIGURE])
    return time.perf_counter() - started


def browser_times(repeats: int) -> dict[str, list[float]]:
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("chromium not found: apt-get install chromium")
    out: dict[str, list[float]] = {"first paint, cold": [], "first paint, warm": [], "scenario switch": []}
    with explorer() as url:
        for attempt in range(repeats):
            with Browser(chromium) as browser:
                started = time.perf_counter()
                browser.navigate(f"{url}/?scenario=diff_adv")
                browser.wait_rendered(["diff_adv: drawn in", FIGURE])
                key = "first paint, cold" if attempt == 0 else "first paint, warm"
                out[key].append(time.perf_counter() - started)
                if attempt == 0:  # fill the caches of both scenarios once
                    switch_in_page(browser, "diff_diff")
                    switch_in_page(browser, "diff_adv")
                    continue
                for scenario in ("diff_diff", "diff_adv"):
                    out["scenario switch"].append(switch_in_page(browser, scenario))
    return out


def apptest_times(repeats: int) -> dict[str, list[float]]:
    from streamlit.testing.v1 import AppTest

    from apebench_core.explore import APP_PATH

    app = AppTest.from_file(str(APP_PATH), default_timeout=600)
    app.run()
    box = "scenario:difficulty"
    app.sidebar.selectbox(key=box).set_value("diff_diff").run()  # cache both
    app.sidebar.selectbox(key=box).set_value("diff_adv").run()
    times: dict[str, list[float]] = {"switch, AppTest run": [], "switch, script's own time": []}
    for _ in range(repeats):
        for scenario in ("diff_diff", "diff_adv"):
            started = time.perf_counter()
            app.sidebar.selectbox(key=box).set_value(scenario).run()
            times["switch, AppTest run"].append(time.perf_counter() - started)
            assert not app.exception and not app.error
            drawn = [c.value for c in app.caption if "drawn in" in c.value][0]
            times["switch, script's own time"].append(float(drawn.split("drawn in")[1].split()[0]))
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = browser_times(args.repeats)
    rows |= apptest_times(args.repeats)
    print(f"{'measurement':<40} {'n':>3} {'median s':>9} {'min s':>7} {'max s':>7}")
    for name, values in rows.items():
        if values:
            print(
                f"{name:<40} {len(values):>3} {statistics.median(values):>9.3f} {min(values):>7.3f} "
                f"{max(values):>7.3f}"
            )


if __name__ == "__main__":
    main()
