"""Scenario classes of the bundled PDE plugin (difficulty and normalized families)."""
