"""Fails on import, to prove that one broken plugin cannot break apebench."""

import a_module_that_does_not_exist  # noqa: F401
