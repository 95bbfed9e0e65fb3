"""A whole network's ``yosys-xc7`` resources: each distinct module synthesised once, composed.

An RTL folder's record (``rtl.json``, :mod:`hwgen.rtl.writer`) lists every module's instances
with their parameters (:mod:`hwgen.rtl.instances`). :func:`plan_network` turns them into
*parts* (one line of the breakdown each) and the *units* (one Yosys run each) they need:

* a stream component (FIFO, width converter): one unit, one instance;
* PE lanes (the MVAU, a threshold unit, the class-score output): the module at ``PE = 1`` and
  at ``PE = 2``; their difference is one PE, so the layer's module is
  ``PE1 + (PE - 1) x (PE2 - PE1)``: the shared control once, the lanes PE times;
* memories of one shape (a layer's weight memories, one per PE; its threshold memories, per
  PE or per search stage and PE): their contents differ, so each is its own unit. The first
  is synthesised; if it maps to block RAM alone its contents cannot change the count and every
  memory of the shape counts the same. Otherwise (distributed RAM or logic, whose size depends
  on the bits stored) ``samples`` memories spread over the shape are synthesised and their mean
  is counted for each; the part says ``sampled k of n`` (exact when ``k == n``).

Nothing of the layer modules themselves is counted beyond their instances: each adds one LUT
(its ``en``), under a per mille of any layer.

:func:`synthesize_network` runs the units (``jobs`` at a time, each result cached in
``cache_dir`` under a digest of module, parameters, memory contents, DSP use and Yosys
version) and returns the record ``qnn hwgen synth`` writes (``synth.json``).
"""
from __future__ import absolute_import, division, print_function

import hashlib
import json
import numbers
import os
import time

from hwgen.rtl.writer import read_rtl
from hwgen.synth.cells import RESOURCES
from hwgen.synth.errors import SynthesisError
from hwgen.synth.yosys import DEFAULT_TIMEOUT, SOURCE, find_yosys, synthesize, yosys_version
from qnn.fileio import atomic_write, file_sha256, makedirs

__all__ = ['RECORD_FORMAT', 'DEFAULT_SAMPLES', 'Unit', 'Part', 'plan_network', 'check_settings',
           'synthesize_network']

RECORD_FORMAT = 'hwgen-synth/1'
#: Memories of one shape synthesised when their contents matter.
DEFAULT_SAMPLES = 4
_BLOCK_RAM_ONLY = ('BRAM_18K',)


class Unit(object):
    """One Yosys run: a library module, its parameters, the memory file it reads."""

    def __init__(self, module, parameters, rtl_dir, library):
        self.module, self.parameters = module, dict(parameters)
        memory = self.parameters.get('INIT_FILE')
        self.memory = os.path.join(rtl_dir, memory) if memory else None
        self.sources = [os.path.join(rtl_dir, name) for name in library]
        for path in self.sources + ([self.memory] if self.memory else []):
            if not os.path.isfile(path):
                raise SynthesisError('%s: %s is missing; rewrite the folder with qnn hwgen rtl'
                                     % (rtl_dir, path))

    def key(self, tool, dsp):
        """A digest of everything the counts depend on."""
        parameters = dict(self.parameters)
        if self.memory:
            parameters['INIT_FILE'] = file_sha256(self.memory)
        text = json.dumps([self.module, parameters, [file_sha256(p) for p in self.sources],
                           bool(dsp), tool], sort_keys=True)
        return hashlib.sha1(text.encode('utf-8')).hexdigest()

    def run(self, yosys, dsp, timeout):
        return synthesize(self.sources, self.module, self.parameters, yosys=yosys,
                          timeout=timeout, dsp=dsp,
                          data_files=[self.memory] if self.memory else None)


class Part(object):
    """One line of the breakdown: ``label``, and how its counts follow from its units.

    ``kind`` is ``'single'`` (one unit, ``instances`` of it), ``'lanes'`` (units at PE 1 and
    PE 2, ``instances`` = PE) or ``'memories'`` (one unit per memory, ``instances`` of them).
    """

    def __init__(self, label, kind, units, instances):
        self.label, self.kind, self.units, self.instances = label, kind, units, instances


def _sample_indices(n, samples):
    """``samples`` indices spread over ``range(n)`` (all of them if ``n <= samples``)."""
    if samples <= 0 or n <= samples:
        return list(range(n))
    if samples == 1:
        return [0]
    return sorted(set(int(round(i * (n - 1) / (samples - 1.0))) for i in range(samples)))


def _samples(part, samples):
    """The units of a memories part that are synthesised when contents matter."""
    return [part.units[i] for i in _sample_indices(len(part.units), samples)]


def _memory_group(instance):
    return instance['name'].rsplit('_pe', 1)[0]


def _module_parts(module, instances, rtl_dir, library):
    parts, memories = [], []
    for instance in instances:
        parameters = instance['parameters']
        label = '%s %s' % (module, instance['name'])
        if instance.get('per_pe'):
            pe = parameters['PE']
            units = [Unit(instance['module'], dict(parameters, PE=lanes), rtl_dir, library)
                     for lanes in sorted(set([1, min(2, pe)]))]
            parts.append(Part('%s (PE %d)' % (label, pe), 'lanes', units, pe))
        elif parameters.get('INIT_FILE'):
            memories.append(instance)
        else:
            unit = Unit(instance['module'], parameters, rtl_dir, library)
            parts.append(Part(label, 'single', [unit], 1))
    groups = []
    for instance in memories:
        if not groups or _memory_group(groups[-1][0]) != _memory_group(instance):
            groups.append([])
        groups[-1].append(instance)
    for group in groups:
        p = group[0]['parameters']
        label = '%s %s (%d memories of %d x %d bits)' % (module, _memory_group(group[0]),
                                                         len(group), p['DEPTH'], p['WIDTH'])
        units = [Unit(i['module'], i['parameters'], rtl_dir, library) for i in group]
        parts.append(Part(label, 'memories', units, len(group)))
    return parts


def plan_network(rtl_dir):
    """The parts of the design in ``rtl_dir``, layer by layer, then the top's own.

    Returns
    -------
    (dict, list of Part)
        The folder's record and its parts.

    Raises
    ------
    HwgenError
        Not an RTL folder of the current format, or a file it names is missing.
    """
    record, _ = read_rtl(rtl_dir)
    instances = record['instances']
    modules = ['layer%d' % i for i in range(len(record['layers']))] + [record['top']]
    library = [name for name in record['verilog'] if name.startswith('qnn_')]
    parts = []
    for module in modules:
        parts.extend(_module_parts(module, instances[module], rtl_dir, library))
    return record, parts


def _zero():
    return dict((key, 0) for key in RESOURCES)


def _lanes(counts, pe):
    """``PE1 + (PE - 1) x (PE2 - PE1)``."""
    one = counts[0]['resources']
    two = counts[-1]['resources']
    return dict((key, one[key] + (pe - 1) * (two[key] - one[key])) for key in RESOURCES)


def _block_ram_only(counts):
    return all(value == 0 for key, value in counts['resources'].items()
               if key not in _BLOCK_RAM_ONLY)


class _Runner(object):
    """Synthesises units once each (cached on disk), ``jobs`` at a time."""

    def __init__(self, cache_dir, yosys, dsp, timeout, jobs, progress):
        self.cache_dir, self.yosys, self.dsp, self.timeout = cache_dir, yosys, dsp, timeout
        self.jobs, self.progress = max(1, int(jobs)), progress
        self.tool = yosys_version(yosys)
        self.results, self.cpu_seconds, self.runs = {}, 0.0, 0
        makedirs(cache_dir)

    def _cached(self, key):
        path = os.path.join(self.cache_dir, key + '.json')
        if not os.path.isfile(path):
            return None
        with open(path) as handle:
            return json.load(handle)

    def _run(self, item):
        key, unit = item
        counts = unit.run(self.yosys, self.dsp, self.timeout)
        counts['parameters'] = unit.parameters
        with atomic_write(os.path.join(self.cache_dir, key + '.json'), 'w') as handle:
            handle.write(json.dumps(counts, indent=1, sort_keys=True) + '\n')
        return key, counts

    def counts(self, units):
        """The counts of ``units`` (a list), synthesising those not known yet."""
        keys = [unit.key(self.tool, self.dsp) for unit in units]
        todo = {}
        for key, unit in zip(keys, units):
            if key not in self.results:
                cached = self._cached(key)
                if cached is None:
                    todo[key] = unit
                else:
                    self.results[key] = cached
        for key, counts in self._map(sorted(todo.items())):
            self.results[key] = counts
            self.cpu_seconds += counts.get('cpu_seconds', 0.0)
            self.runs += 1
        return [self.results[key] for key in keys]

    def _map(self, items):
        if not items:
            return []
        bar = self._bar(len(items))
        try:
            if self.jobs == 1 or len(items) == 1:
                results = []
                for item in items:
                    results.append(self._run(item))
                    bar.update(1)
                return results
            from multiprocessing.pool import ThreadPool
            pool = ThreadPool(min(self.jobs, len(items)))
            try:
                results = []
                for result in pool.imap_unordered(self._run, items):
                    results.append(result)
                    bar.update(1)
                return results
            finally:
                pool.terminate()
        finally:
            bar.close()

    def _bar(self, total):
        if self.progress:
            try:
                from tqdm import tqdm
                return tqdm(total=total, unit='module', desc='yosys', leave=False)
            except ImportError:
                pass
        return _NoBar()


class _NoBar(object):
    def update(self, n):
        pass

    def close(self):
        pass


def _part_counts(part, runner, samples):
    """``(resources, note)`` of one part."""
    if part.kind == 'single':
        counts = runner.counts(part.units)[0]['resources']
        return dict((key, counts[key] * part.instances) for key in RESOURCES), ''
    if part.kind == 'lanes':
        return _lanes(runner.counts(part.units), part.instances), ''
    first = runner.counts(part.units[:1])[0]
    if _block_ram_only(first):
        return dict((key, first['resources'][key] * part.instances) for key in RESOURCES), \
            'block RAM only: contents do not change the count'
    counts = runner.counts(_samples(part, samples))
    mean = dict((key, sum(c['resources'][key] for c in counts) / float(len(counts)))
                for key in RESOURCES)
    total = dict((key, int(round(mean[key] * part.instances))) for key in RESOURCES)
    return total, 'sampled %d of %d' % (len(counts), part.instances)


def _is_int(value):
    return not isinstance(value, bool) and isinstance(value, numbers.Integral)


def check_settings(samples, jobs, timeout):
    """Refuse (SynthesisError) samples < 0, jobs < 1 or a timeout that is not positive."""
    if not _is_int(samples) or samples < 0:
        raise SynthesisError('--samples must be an integer >= 0, got %r' % (samples,))
    if not _is_int(jobs) or jobs < 1:
        raise SynthesisError('--jobs must be an integer >= 1, got %r' % (jobs,))
    if not isinstance(timeout, numbers.Real) or not timeout > 0:
        raise SynthesisError('--timeout must be a positive number of seconds, got %r'
                             % (timeout,))


def synthesize_network(rtl_dir, cache_dir=None, samples=DEFAULT_SAMPLES, dsp=False, jobs=1,
                       yosys=None, timeout=DEFAULT_TIMEOUT, progress=False):
    """Synthesise the design in ``rtl_dir`` module by module and compose it.

    Parameters
    ----------
    rtl_dir : str
        A folder written by :func:`hwgen.rtl.writer.write_rtl`.
    cache_dir : str, optional
        Where each unit's counts are kept (default ``<rtl_dir>/synth-units``).
    samples : int
        Memories of one shape synthesised when their contents matter (0: all).
    dsp : bool
        Let products use DSP48E1 slices (default False: products in LUTs, as the HLS
        designs this flow reproduces build them).
    jobs : int
        Yosys runs at a time.
    yosys, timeout
        As for :func:`hwgen.synth.yosys.synthesize` (the timeout is per unit).
    progress : bool
        Show a progress bar (tqdm) over the units.

    Returns
    -------
    dict
        ``format``, ``source`` (``'yosys-xc7'``), ``tool``, ``dsp``, ``samples``, ``rtl`` (top,
        threshold unit, cycles per image, the layer records), ``parts`` (label, resources,
        note), ``total``,
        ``yosys_runs``, ``cpu_seconds`` and ``seconds`` (of this call).
    """
    check_settings(samples, jobs, timeout)
    start = time.time()
    record, parts = plan_network(rtl_dir)
    executable = find_yosys(yosys)
    runner = _Runner(cache_dir or os.path.join(rtl_dir, 'synth-units'), executable, dsp,
                     timeout, jobs, progress)
    # every first unit at once (the block-RAM test needs them), then all samples at once
    runner.counts([unit for part in parts for unit in
                   (part.units[:1] if part.kind == 'memories' else part.units)])
    runner.counts([unit for part in parts if part.kind == 'memories'
                   and not _block_ram_only(runner.counts(part.units[:1])[0])
                   for unit in _samples(part, samples)])
    total, lines = _zero(), []
    for part in parts:
        resources, note = _part_counts(part, runner, samples)
        for key in RESOURCES:
            total[key] += resources[key]
        lines.append({'label': part.label, 'resources': resources, 'note': note})
    return {'format': RECORD_FORMAT, 'source': SOURCE, 'tool': runner.tool, 'dsp': bool(dsp),
            'samples': samples,
            'rtl': {'top': record['top'], 'threshold_unit': record['threshold_unit'],
                    'cycles': record['cycles'], 'layers': record['layers']},
            'parts': lines, 'total': total, 'yosys_runs': runner.runs,
            'cpu_seconds': runner.cpu_seconds, 'seconds': time.time() - start}
