"""Test-suite defaults: bundled plugins must load cleanly (strict), no progress bars."""

import os

os.environ.setdefault("APEBENCH_STRICT_PLUGINS", "1")
os.environ.setdefault("APEBENCH_NO_PROGRESS", "1")
