"""Read Vivado HLS / Vitis HLS synthesis reports into plain dicts.

``csynth_design`` writes ``<project>/<solution>/syn/report/<top>_csynth.xml`` (and a
``.rpt`` text twin). :func:`parse_csynth_xml` turns the XML into a dict; printing and
comparing are left to the caller (as hls4ml's ``parse_vivado_report``, except that a bad
report raises :class:`ReportError` instead of returning ``None``).

Resource names are those of the report, with one exception made in one place
(:func:`canonical_resource_name`): Vivado HLS calls the DSP slices ``DSP48E``, Vitis HLS
calls them ``DSP``; both become ``'DSP'``. The keys are a device's,
:data:`hwgen.estimate.device.RESOURCE_KEYS`, as in the estimates, so a report and an estimate
compare directly.

Only the standard library is used (``xml.etree``); it runs on Python 2.7 and 3.

Examples
--------
>>> canonical_resource_name('DSP48E'), canonical_resource_name('LUT')
('DSP', 'LUT')
>>> parse_latency('undef', 'Worst-caseLatency', 'x.xml') is None
True
"""
from __future__ import absolute_import, division, print_function

import glob
import logging
import os
import re
import xml.etree.ElementTree as ElementTree

from hwgen.estimate.device import RESOURCE_KEYS

__all__ = ['ReportError', 'canonical_resource_name', 'parse_latency',
           'parse_csynth_xml', 'find_csynth_report', 'parse_utilization_rpt']

log = logging.getLogger(__name__)

#: Report spellings that differ from the resource keys (the only rename).
_RESOURCE_ALIASES = {'DSP48E': 'DSP'}

#: Resources every report must have; URAM is missing from older (pre-UltraScale+) reports.
_REQUIRED_RESOURCES = ('BRAM_18K', 'DSP', 'FF', 'LUT')

#: (key, element path) of the latency summary, in clock cycles.
_LATENCY_FIELDS = (
    ('best', 'Best-caseLatency'),
    ('worst', 'Worst-caseLatency'),
    ('interval_min', 'Interval-min'),
    ('interval_max', 'Interval-max'),
)
_LATENCY_PATH = 'PerformanceEstimates/SummaryOfOverallLatency'

#: The value HLS writes when a latency depends on run-time values (e.g. ``numReps``).
UNDEFINED = 'undef'


class ReportError(ValueError):
    """A synthesis report is missing, malformed or lacks an expected element."""


def canonical_resource_name(name):
    """The resource key (:data:`~hwgen.estimate.device.RESOURCE_KEYS`) of a report's resource
    name (DSP48E -> DSP).

    Examples
    --------
    >>> [canonical_resource_name(n) for n in ('BRAM_18K', 'DSP48E', 'DSP', 'URAM')]
    ['BRAM_18K', 'DSP', 'DSP', 'URAM']
    """
    return _RESOURCE_ALIASES.get(name, name)


def _text(root, path, report):
    """The stripped text of the element at ``path``; ReportError if absent or empty."""
    element = root.find(path)
    if element is None:
        raise ReportError('%s: missing element <%s>' % (report, path))
    text = (element.text or '').strip()
    if not text:
        raise ReportError('%s: element <%s> is empty' % (report, path))
    return text


def _number(text, convert, path, report):
    try:
        return convert(text)
    except ValueError:
        raise ReportError('%s: element <%s> should be a number, got %r' % (report, path, text))


def parse_latency(text, path, report):
    """A latency or interval in cycles: an int, or None for HLS's ``undef``.

    Parameters
    ----------
    text : str
        The element's text.
    path, report : str
        Element path and file name, for the error message.

    Raises
    ------
    ReportError
        Neither an integer nor ``undef``.
    """
    if text.strip().lower() == UNDEFINED:
        return None
    return _number(text, int, path, report)


def _parse_resources(root, path, report):
    """``{key: int}`` for the children of ``path``, DSP48E renamed, URAM None if absent."""
    parent = root.find(path)
    if parent is None:
        raise ReportError('%s: missing element <%s>' % (report, path))
    values = dict.fromkeys(RESOURCE_KEYS)
    for child in parent:
        key = canonical_resource_name(child.tag)
        if key in values:
            text = (child.text or '').strip()
            values[key] = _number(text, int, '%s/%s' % (path, child.tag), report)
    missing = [key for key in _REQUIRED_RESOURCES if values[key] is None]
    if missing:
        raise ReportError('%s: <%s> lacks %s' % (report, path, ', '.join(missing)))
    return values


def _read_xml(path):
    """The root element of ``path``; ReportError for XML that does not parse."""
    try:
        return ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        raise ReportError('%s: not a well-formed XML report (%s)' % (path, error))


def parse_csynth_xml(path):
    """Parse a ``<top>_csynth.xml`` report of Vivado HLS (2018.x) or Vitis HLS.

    Parameters
    ----------
    path : str
        The report file.

    Returns
    -------
    dict
        ``source`` ('csynth'), ``path``, ``version`` (str or None), ``part``, ``top``,
        ``target_clock_ns``, ``estimated_clock_ns`` (floats), ``latency`` with ``best``,
        ``worst``, ``interval_min`` and ``interval_max`` in cycles (int, or None for
        ``undef``), ``resources`` and ``available`` (dicts over the resource keys, ints;
        URAM is None when the report has none).

    Raises
    ------
    ReportError
        The XML does not parse, or an element is missing, empty or not a number; the message
        names the file and the element.
    IOError
        The file cannot be read.
    """
    root = _read_xml(path)
    latency = {}
    for key, tag in _LATENCY_FIELDS:
        element_path = '%s/%s' % (_LATENCY_PATH, tag)
        latency[key] = parse_latency(_text(root, element_path, path), element_path, path)
    version = root.find('ReportVersion/Version')
    clocks = {}
    for key, element_path in (('target_clock_ns', 'UserAssignments/TargetClockPeriod'),
                              ('estimated_clock_ns', 'PerformanceEstimates/'
                               'SummaryOfTimingAnalysis/EstimatedClockPeriod')):
        clocks[key] = _number(_text(root, element_path, path), float, element_path, path)
    report = {
        'source': 'csynth',
        'path': path,
        'version': version.text.strip() if version is not None and version.text else None,
        'part': _text(root, 'UserAssignments/Part', path),
        'top': _text(root, 'UserAssignments/TopModelName', path),
        'latency': latency,
        'resources': _parse_resources(root, 'AreaEstimates/Resources', path),
        'available': _parse_resources(root, 'AreaEstimates/AvailableResources', path),
    }
    report.update(clocks)
    log.debug('parsed %s: top %s, resources %r', path, report['top'], report['resources'])
    return report


def _csynth_reports_below(directory):
    """Every ``*_csynth.xml`` at any depth below ``directory``, sorted."""
    hits = []
    for root, _, files in os.walk(directory):
        hits.extend(os.path.join(root, name) for name in files if name.endswith('_csynth.xml'))
    return sorted(hits)


def find_csynth_report(project_dir, top='BlackBoxJam', solution='sol1', anywhere=False):
    """The path of ``<project_dir>/<solution>/syn/report/<top>_csynth.xml``.

    Parameters
    ----------
    project_dir : str
        The HLS project directory (the one ``open_project`` created).
    top : str
        Top function (``set_top``); BNN-PYNQ's is ``BlackBoxJam``.
    solution : str
        Solution name (``open_solution``); ``sol1`` in BNN-PYNQ's ``hls-syn.tcl``.
    anywhere : bool
        When that report does not exist, take the first ``*_csynth.xml`` (sorted by path) at
        any depth below ``project_dir`` instead: for folders that hold a project of another
        layout, or reports copied by hand.

    Returns
    -------
    str

    Raises
    ------
    ReportError
        The report does not exist (nor, with ``anywhere``, any other); the message lists the
        csynth reports that do.
    """
    path = os.path.join(project_dir, solution, 'syn', 'report', '%s_csynth.xml' % top)
    if os.path.isfile(path):
        return path
    if anywhere:
        others = _csynth_reports_below(project_dir)
        if others:
            return others[0]
    else:
        others = sorted(glob.glob(os.path.join(project_dir, '*', 'syn', 'report',
                                               '*_csynth.xml')))
    raise ReportError('no csynth report %s (has csynth_design run?); found instead: %s'
                      % (path, ', '.join(others) if others else 'none'))


_SECTION = '== Utilization Estimates'
_ROW = re.compile(r'^\s*\|(.*)\|\s*$')


def _table_rows(lines):
    """Cells of the first ``|``-table in ``lines``: a list of lists of stripped strings."""
    rows = []
    for line in lines:
        match = _ROW.match(line)
        if match:
            rows.append([cell.strip() for cell in match.group(1).split('|')])
        elif rows and not line.strip().startswith('+'):
            break
    return rows


def _row_values(row, header, label, path):
    values = dict.fromkeys(RESOURCE_KEYS)
    for name, cell in zip(header[1:], row[1:]):
        key = canonical_resource_name(name)
        if key in values:
            values[key] = 0 if cell in ('-', '') else _number(
                cell, int, 'Utilization Estimates/%s/%s' % (label, name), path)
    return values


def parse_utilization_rpt(path):
    """The ``Utilization Estimates`` summary of a ``<top>_csynth.rpt`` text report.

    This is the table BNN-PYNQ's ``make-hw.sh`` greps. Only the ``Total`` and
    ``Available`` rows are read; ``-`` counts as 0.

    Parameters
    ----------
    path : str
        The ``.rpt`` file.

    Returns
    -------
    dict
        ``source`` ('csynth-rpt'), ``path``, ``resources`` and ``available`` over
        :data:`~hwgen.estimate.device.RESOURCE_KEYS` (None for a column the table lacks).

    Raises
    ------
    ReportError
        No ``Utilization Estimates`` section, no table, or no ``Total`` / ``Available`` row.
    """
    with open(path) as report_file:
        lines = report_file.read().splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip().startswith(_SECTION)]
    if not starts:
        raise ReportError('%s: no "%s" section' % (path, _SECTION.lstrip('= ')))
    rows = _table_rows(lines[starts[0] + 1:])
    if not rows or rows[0][0] != 'Name':
        raise ReportError('%s: no summary table under "Utilization Estimates"' % path)
    header, by_label = rows[0], dict((row[0], row) for row in rows[1:])
    result = {'source': 'csynth-rpt', 'path': path}
    for key, label in (('resources', 'Total'), ('available', 'Available')):
        if label not in by_label:
            raise ReportError('%s: Utilization Estimates table has no "%s" row' % (path, label))
        result[key] = _row_values(by_label[label], header, label, path)
    return result
