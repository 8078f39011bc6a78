"""Bundled plugin: learning methodologies, tasks, optimizers, schedules and callbacks."""
