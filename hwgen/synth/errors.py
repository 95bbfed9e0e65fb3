"""The exceptions of :mod:`hwgen.synth`, which ``qnn hwgen`` reports as a message."""
from __future__ import absolute_import

from hwgen.errors import HwgenError

__all__ = ['SynthesisError', 'YosysNotFound']


class SynthesisError(HwgenError):
    """Yosys failed, timed out, or wrote statistics that cannot be read."""


class YosysNotFound(SynthesisError):
    """No Yosys executable was found, or the one named does not run."""
