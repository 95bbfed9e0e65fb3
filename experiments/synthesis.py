"""``yosys-xc7`` figures of a study's networks (``qnn synthesize STUDY``).

For each network ``W<w>A<a>`` of the study and each threshold unit (``parallel``, as
finn-hlslib; ``search``, the binary search of :mod:`hwgen.rtl`), the Verilog of one finished
run of the network at the study's cycles per image is synthesised module by module
(:func:`hwgen.synth.network.synthesize_network`) into
``<study>/synthesis/<network>-<unit>/synth.json``. The run is the one with the fewest epochs,
then the lowest seed (its weights and thresholds fill the memories, whose contents matter where
Yosys maps them to logic); the record names it. Records already written are kept, so the
command resumes; the module counts are cached in ``<study>/synthesis/units``, shared by all
networks. The Verilog (``rtl/``) and the cache are working files, not results.
"""
from __future__ import absolute_import, division, print_function

import json
import os
import re
import shutil

from hwgen.rtl.design import THRESHOLD_UNITS
from hwgen.rtl.writer import write_rtl
from hwgen.synth.network import DEFAULT_SAMPLES, synthesize_network
from hwgen.synth.yosys import SOURCE
from hwgen.trained.network import from_run
from qnn import runs
from qnn.fileio import atomic_write, makedirs

from . import plan

__all__ = ['SYNTHESIS_DIR', 'RECORD_FILE', 'record_path', 'study_networks', 'source_run',
           'read_synthesis', 'synthesize_study']

SYNTHESIS_DIR = 'synthesis'
RECORD_FILE = 'synth.json'
_RUN_NAME = re.compile(r'^(W\d+A\d+)-e(\d+)-s(\d+)$')


def record_path(study_dir, network, unit):
    """``<study>/synthesis/<network>-<unit>/synth.json``."""
    return os.path.join(study_dir, SYNTHESIS_DIR, '%s-%s' % (network, unit), RECORD_FILE)


def source_run(study_dir, network):
    """The finished run of ``network`` with parameters whose Verilog is synthesised: fewest
    epochs, then lowest seed; None if there is none."""
    candidates = []
    for match, run_dir in _runs_by_name(study_dir):
        if match.group(1) == network and runs.is_finished(run_dir) and \
                os.path.isfile(os.path.join(run_dir, 'params.npz')):
            candidates.append((int(match.group(2)), int(match.group(3)), run_dir))
    return min(candidates)[2] if candidates else None


def _runs_by_name(study_dir):
    runs_dir = os.path.join(study_dir, 'runs')
    for name in sorted(os.listdir(runs_dir)) if os.path.isdir(runs_dir) else ():
        match = _RUN_NAME.match(name)
        if match:
            yield match, os.path.join(runs_dir, name)


def study_networks(study_dir):
    """The networks that have runs in the study, by W then A."""
    names = set(match.group(1) for match, _ in _runs_by_name(study_dir))
    return sorted(names, key=lambda name: tuple(int(x) for x in re.findall(r'\d+', name)))


def read_synthesis(study_dir, network, unit):
    """The synthesis record of one network and unit, or None."""
    path = record_path(study_dir, network, unit)
    if not os.path.isfile(path):
        return None
    return runs.read_json(path)


def _synthesize_one(study_dir, run_dir, unit, cycles, samples, jobs, progress):
    path = record_path(study_dir, os.path.basename(run_dir).split('-')[0], unit)
    rtl_dir = os.path.join(os.path.dirname(path), 'rtl')
    model = from_run(run_dir, cycles=cycles).integer_model()
    write_rtl(model, rtl_dir, threshold_unit=unit)
    result = synthesize_network(rtl_dir, samples=samples, jobs=jobs, progress=progress,
                                cache_dir=os.path.join(study_dir, SYNTHESIS_DIR, 'units'))
    result['run'] = os.path.basename(run_dir)
    makedirs(os.path.dirname(path))
    with atomic_write(path, 'w') as handle:
        handle.write(json.dumps(result, indent=1, sort_keys=True) + '\n')
    shutil.rmtree(rtl_dir, ignore_errors=True)  # megabytes of memories, rewritten at will
    return result


def synthesize_study(study_dir, networks=None, units=THRESHOLD_UNITS, samples=DEFAULT_SAMPLES,
                     jobs=1, progress=False):
    """Synthesise every network of the study (or those named) with every unit not done yet.

    Parameters
    ----------
    study_dir : str
    networks : list of str, optional
        Network names (``'W1A1'``), in the order to synthesise them (default:
        :func:`study_networks`).
    units : sequence of {'parallel', 'search'}
    samples, jobs, progress
        As for :func:`hwgen.synth.network.synthesize_network`.

    Returns
    -------
    list of (str, str, dict or None)
        ``(network, unit, record)`` per pair; record None where the network has no finished
        run with parameters.
    """
    cycles = plan.read_study(study_dir)['hardware']['cycles']
    if networks is None:
        networks = study_networks(study_dir)
    done = []
    for network in networks:
        for unit in units:
            record = read_synthesis(study_dir, network, unit)
            run_dir = source_run(study_dir, network) if record is None else None
            if record is None and run_dir is not None:
                record = _synthesize_one(study_dir, run_dir, unit, cycles, samples, jobs,
                                         progress)
                total = record['total']
                print('%s %s (%s): %d LUT, %d FF, %d BRAM_18K, %d DSP; %d Yosys runs, %.0f s CPU'
                      % (network, unit, SOURCE, total['LUT'], total['FF'], total['BRAM_18K'],
                         total['DSP'], record['yosys_runs'], record['cpu_seconds']))
            elif record is None:
                print('%s: no finished run with parameters, not synthesised' % network)
            done.append((network, unit, record))
    return done
