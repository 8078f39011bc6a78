"""Entry module of the bundled metrics plugin: specs only, no JAX."""

from apebench_core import hookimpl

METRIC_SPECS = []


@hookimpl
def apebench_metrics():
    return METRIC_SPECS
