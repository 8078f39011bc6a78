import equinox as eqx
import jax
import jax.numpy as jnp


class ResidualStencil(eqx.Module):
    """u + conv(u) with periodic padding, channel-mixing, no bias."""

    weight: jax.Array
    kernel_size: int = eqx.field(static=True)

    def __call__(self, u):
        pad = self.kernel_size // 2
        num_spatial_dims = u.ndim - 1
        padded = jnp.pad(u, [(0, 0)] + [(pad, pad)] * num_spatial_dims, mode="wrap")
        out = jax.lax.conv_general_dilated(padded[None], self.weight, (1,) * num_spatial_dims, "VALID")
        return u + out[0]

    @property
    def receptive_field(self):
        return self.kernel_size // 2


def residual_stencil(*, kernel_size, num_spatial_dims, num_channels, num_points, key):
    shape = (num_channels, num_channels) + (kernel_size,) * num_spatial_dims
    return ResidualStencil(weight=0.01 * jax.random.normal(key, shape), kernel_size=kernel_size)
