"""Bundled plugin: rollout error metrics."""
