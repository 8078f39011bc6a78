"""What every architecture shares: the receptive field figure and the parameter count."""

from __future__ import annotations

import equinox as eqx
import jax

from .layers import Reach


class Emulator(eqx.Module):
    """Base of the architectures: a map (channels, *space) -> (channels, *space).

    Subclasses define ``reach``; ``receptive_field`` is the larger of its two sides,
    in grid cells (``math.inf`` for global architectures).
    """

    @property
    def reach(self) -> Reach:
        raise NotImplementedError

    @property
    def receptive_field(self) -> float:
        return max(self.reach)

    @property
    def num_parameters(self) -> int:
        return count_parameters(self)


def count_parameters(module: eqx.Module) -> int:
    """Sum of the sizes of the module's array leaves (real and imaginary parts count separately)."""
    return int(sum(leaf.size for leaf in jax.tree_util.tree_leaves(eqx.filter(module, eqx.is_array))))
