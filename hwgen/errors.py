"""The exceptions of hwgen that ``qnn hwgen`` reports as a message (no traceback).

They live apart from the modules that raise them so that :mod:`hwgen.folding` (which knows
nothing of runs) and the parts above it share them without importing each other.
"""
from __future__ import absolute_import

__all__ = ['HwgenError', 'FoldingError']


class HwgenError(ValueError):
    """A run or a parameter folder cannot be turned into hardware as asked."""


class FoldingError(HwgenError):
    """A folding is malformed, does not fit the network, or cannot be built by finn-hlslib."""
