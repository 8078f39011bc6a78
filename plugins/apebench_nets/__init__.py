"""Bundled plugin: emulator architectures and activations (Equinox)."""
