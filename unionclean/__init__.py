"""unionclean: clean Vietnamese trade-union member lists into the central upload template."""
from __future__ import annotations

__version__ = "0.1.0"

from unionclean._native import install_guard as _install_guard  # noqa: E402 - before any hot module loads

_install_guard()
