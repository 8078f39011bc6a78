"""Fixtures for the PDE tests (``x64`` lives in tests/conftest.py)."""
