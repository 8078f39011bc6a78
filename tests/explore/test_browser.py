"""``apebench explore`` in a real browser: the server starts on a free local port, headless
Chromium loads every page, each screenshot is non-blank and the DOM shows scenario names and
the rendered figures.

Skipped only where Chromium is missing (``.ci/run`` installs the Debian package ``chromium``).
``APEBENCH_SCREENSHOTS=docs python -m pytest tests/explore/test_browser.py`` regenerates the
screenshots the README shows.
"""

import os
from pathlib import Path

import pytest
from explore_browser import capture_pages, explorer, find_chromium, png_is_blank

pytest.importorskip("streamlit")
pytest.importorskip("websockets.sync.client", reason="the DevTools client needs websockets >= 11")

CHROMIUM = find_chromium()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed: the real-browser test is skipped")
def test_every_page_renders_in_headless_chromium(study_folder, tmp_path):
    folder = Path(os.environ.get("APEBENCH_SCREENSHOTS") or tmp_path)
    with explorer(study_folder) as url:
        pages = capture_pages(url, folder, CHROMIUM)
    for page, shot in pages.items():
        assert not png_is_blank(shot["png"]), page
        assert shot["png"].stat().st_size < 400_000, page
    scenarios = pages["scenarios"]["dom"]
    assert "diff_ks" in scenarios and "diff_adv" in scenarios and "norm_burgers" in scenarios
    assert scenarios.count('data-testid="stImage"') >= 2  # space-time and line plot
    results = pages["results"]["dom"]
    assert "Conv;4;1;relu" in results and "incomplete or corrupt" in results
    components = pages["components"]["dom"]
    assert "Plugins" in components and 'data-testid="stDataFrame"' in components
