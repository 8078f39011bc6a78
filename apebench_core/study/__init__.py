"""Studies: many experiments planned up front, run into a resumable store, then analysed."""

from .runner import (
    StudyError,
    dask_executor,
    default_base_path,
    plan_study,
    run_stored_experiment,
    run_study,
    run_study_convenience,
    study_hash,
    study_status,
    train_experiment,
    xla_thread_env,
)

__all__ = [
    "StudyError",
    "dask_executor",
    "default_base_path",
    "plan_study",
    "run_stored_experiment",
    "run_study",
    "run_study_convenience",
    "study_hash",
    "study_status",
    "train_experiment",
    "xla_thread_env",
]
