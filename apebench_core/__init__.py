"""apebench-core: a plugin-based benchmark for autoregressive neural PDE emulators.

Importing this package is cheap: it never imports JAX. Heavy parts load when used.
"""

from ._spec import REQUIRED, ComponentSpec, Field
from .hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = ["REQUIRED", "ComponentSpec", "Field", "hookimpl", "__version__"]
