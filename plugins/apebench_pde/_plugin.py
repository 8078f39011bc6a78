"""Entry module of the bundled PDE plugin: specs only, no JAX."""

from apebench_core.plugin import hookimpl

from ._catalogue_ics import IC_SPECS
from ._catalogue_scenarios import SCENARIO_SPECS
from ._catalogue_suites import SUITE_SPECS


@hookimpl
def apebench_initial_conditions():
    return IC_SPECS


@hookimpl
def apebench_scenarios():
    return SCENARIO_SPECS


@hookimpl
def apebench_suites():
    return SUITE_SPECS
