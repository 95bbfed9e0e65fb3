"""A whole design's resources from its modules' counts times their instances.

Synthesising one PE of each layer, one threshold unit and one of each stream component,
then multiplying, takes minutes where the whole network would take hours; the design is a
list of ``(module, instances)`` and every module's counts come from one synthesis
(:func:`hwgen.synth.yosys.synthesize`).

Examples
--------
>>> pe = {'LUT': 120, 'FF': 40, 'BRAM_18K': 1}
>>> fifo = {'LUT': 10, 'FF': 12, 'LUTRAM': 8}
>>> compose([('pe', 64), ('fifo', 2)], {'pe': pe, 'fifo': fifo})['BRAM_18K']
64
"""
from __future__ import absolute_import, division, print_function

import numbers

from hwgen.synth.cells import RESOURCES
from hwgen.synth.errors import SynthesisError

__all__ = ['compose', 'module_resources']


def module_resources(counts):
    """The resource dict of a module: a :func:`synthesize` result or a plain resource dict."""
    resources = counts.get('resources', counts) if isinstance(counts, dict) else None
    if not isinstance(resources, dict):
        raise SynthesisError('module counts must be a dict, got %r' % (counts,))
    unknown = sorted(set(resources) - set(RESOURCES))
    if unknown:
        raise SynthesisError('unknown resources %s (known: %s)'
                             % (', '.join(unknown), ', '.join(RESOURCES)))
    return resources


def _check_instances(module, instances):
    if isinstance(instances, bool) or not isinstance(instances, numbers.Integral) \
            or instances < 0:
        raise SynthesisError('instances of module %s must be a non-negative integer, got %r'
                             % (module, instances))


def compose(design, module_counts):
    """Resources of ``design``: sum over its modules of counts x instances.

    Parameters
    ----------
    design : list of (str, int)
        Module name and number of instances; a module may appear more than once.
    module_counts : dict
        Module name -> its counts: a :func:`~hwgen.synth.yosys.synthesize` result or a dict
        over :data:`~hwgen.synth.cells.RESOURCES` (missing resources are 0).

    Returns
    -------
    dict
        Every key of :data:`~hwgen.synth.cells.RESOURCES`, an int each.

    Raises
    ------
    SynthesisError
        A module has no counts, an instance count is not a non-negative integer, or counts
        name an unknown resource.
    """
    total = dict((key, 0) for key in RESOURCES)
    for entry in design:
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise SynthesisError('a design entry must be (module, instances), got %r'
                                 % (entry,))
        module, instances = entry
        _check_instances(module, instances)
        if module not in module_counts:
            raise SynthesisError('no counts for module %s (have: %s)'
                                 % (module, ', '.join(sorted(module_counts)) or 'none'))
        for key, value in module_resources(module_counts[module]).items():
            total[key] += value * instances
    return total
