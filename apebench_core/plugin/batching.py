"""A promise a training loop makes to the networks it traces: every vmap sits inside the gradient.

Networks are written for one sample and vmapped over the minibatch. A layer can batch far
faster with a rule of its own (``jax.custom_batching.custom_vmap``: fold the minibatch into
one matrix product instead of letting XLA transpose per-sample products), but JAX cannot
reverse-differentiate such a rule when the differentiation happens inside the vmap:
``grad`` of one unbatched sample, or ``vmap(grad(f))``. ``grad(vmap(f))`` is fine, because
the rule then runs first and the gradient sees ordinary operations.

A loss traced within :func:`vmap_inside_grad` promises that order, so layers may use such
rules (they ask :func:`vmap_inside_grad_promised` at trace time); outside it they must
batch plainly. The core's training loop makes the promise for the minibatch loss, which
is a mean over ``vmap(methodology.loss)``; a methodology that differentiates a network
inside its loss (a Jacobian penalty, say) must leave the block with
``vmap_inside_grad(False)``. Architecture plugins of third parties can read the same flag.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_PROMISED = contextvars.ContextVar("apebench_vmap_inside_grad", default=False)


@contextlib.contextmanager
def vmap_inside_grad(promise: bool = True) -> Iterator[None]:
    """Trace the block under the promise (or, with ``False``, withdraw it)."""
    token = _PROMISED.set(promise)
    try:
        yield
    finally:
        _PROMISED.reset(token)


def vmap_inside_grad_promised() -> bool:
    """Whether the code being traced runs under :func:`vmap_inside_grad`."""
    return _PROMISED.get()
