"""Exact integer arithmetic of the hardware resource models.

Examples
--------
>>> ceil_div(832, 64), ceil_div(10, 64), ceil_log2(832), ceil_log2(1024)
(13, 1, 10, 10)
"""
from __future__ import absolute_import, division, print_function

__all__ = ['ceil_div', 'ceil_log2']


def ceil_div(numerator, denominator):
    """ceil(numerator / denominator) for ints, without floats."""
    return -(-numerator // denominator)


def ceil_log2(value):
    """ceil(log2(value)) for a positive int, exactly."""
    return (int(value) - 1).bit_length()
