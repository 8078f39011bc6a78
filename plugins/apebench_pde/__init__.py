"""Bundled plugin: spectral reference solvers (ETDRK), initial conditions and scenarios."""
