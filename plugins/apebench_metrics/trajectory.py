"""Statistics of a whole metric trajectory (not a per-step metric).

These do not fit the ``(prediction, reference) -> scalar`` metric contract,
which sees one time level at a time, so they are plain functions applied to the
``(…, time)`` arrays the pipeline produces. NumPy only: usable on result tables.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def steps_until_below(metric_trajectory: ArrayLike, threshold: float) -> np.ndarray:
    """How many leading rollout steps keep the metric at or above ``threshold``.

    ``metric_trajectory[..., t]`` is the metric after step ``t + 1`` (the
    pipeline's layout), so the result is the number of steps before the metric
    first drops below the threshold, e.g. the correlation time for
    ``mean_correlation`` and 0.8; a trajectory that never drops scores its full
    length. NaN counts as below (a diverged rollout has lost the correlation).
    Leading axes (seeds, ...) are kept: the result has shape ``metric_trajectory.shape[:-1]``.
    """
    values = np.asarray(metric_trajectory)
    if values.ndim == 0:
        raise ValueError("metric_trajectory needs a time axis (the last one)")
    stays_above = np.cumprod(values >= threshold, axis=-1)
    return stays_above.sum(axis=-1)
