"""unionclean: clean Vietnamese trade-union member lists into the central upload template."""
from __future__ import annotations

__version__ = "0.1.0"
