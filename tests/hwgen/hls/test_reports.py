from __future__ import absolute_import, division, print_function

import io
import os
import shutil

import pytest

from hwgen.estimate.device import RESOURCE_KEYS
from hwgen.hls.reports import (ReportError, canonical_resource_name, find_csynth_report,
                               parse_csynth_xml, parse_latency, parse_utilization_rpt)

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data')
VIVADO_XML = os.path.join(DATA, 'BlackBoxJam_csynth.xml')
VITIS_XML = os.path.join(DATA, 'vitis_csynth.xml')
VIVADO_RPT = os.path.join(DATA, 'BlackBoxJam_csynth.rpt')


def _read(path):
    with io.open(path, encoding='utf-8') as f:
        return f.read()


def _write(tmpdir, name, text):
    path = str(tmpdir.join(name))
    with io.open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def _vivado_with(tmpdir, old, new, count=1):
    """The Vivado fixture with ``old`` replaced by ``new`` (which must occur ``count`` times)."""
    text = _read(VIVADO_XML)
    assert text.count(old) == count
    return _write(tmpdir, 'edited_csynth.xml', text.replace(old, new))


def test_canonical_resource_name_renames_only_dsp48e():
    assert canonical_resource_name('DSP48E') == 'DSP'
    assert [canonical_resource_name(k) for k in RESOURCE_KEYS] == list(RESOURCE_KEYS)


def test_parse_latency():
    assert parse_latency('undef', 'p', 'f') is None
    assert parse_latency(' UNDEF ', 'p', 'f') is None
    assert parse_latency('512', 'p', 'f') == 512
    with pytest.raises(ReportError, match="f: element <p> should be a number, got '5 us'"):
        parse_latency('5 us', 'p', 'f')


def test_vivado_report():
    report = parse_csynth_xml(VIVADO_XML)
    assert report['source'] == 'csynth'
    assert report['path'] == VIVADO_XML
    assert report['version'] == '2018.3'
    assert report['part'] == 'xc7z020clg400-1'
    assert report['top'] == 'BlackBoxJam'
    assert report['target_clock_ns'] == 5.0
    assert report['estimated_clock_ns'] == 4.375
    assert report['latency'] == {'best': None, 'worst': None, 'interval_min': None,
                                 'interval_max': None}
    assert report['resources'] == {'BRAM_18K': 222, 'DSP': 3, 'FF': 21718, 'LUT': 30142,
                                   'URAM': 0}
    assert report['available'] == {'BRAM_18K': 280, 'DSP': 220, 'FF': 106400, 'LUT': 53200,
                                   'URAM': 0}
    assert 'DSP48E' not in report['resources'] and 'DSP48E' not in report['available']


def test_vitis_report_with_dsp_and_numeric_latency():
    report = parse_csynth_xml(VITIS_XML)
    assert report['version'] == '2022.2'
    assert report['top'] == 'StreamingFCLayer_Batch_0'
    assert report['part'] == 'xc7z020-clg400-1'
    assert (report['target_clock_ns'], report['estimated_clock_ns']) == (10.0, 6.912)
    assert report['latency'] == {'best': 419, 'worst': 421, 'interval_min': 417,
                                 'interval_max': 422}
    assert report['resources'] == {'BRAM_18K': 64, 'DSP': 0, 'FF': 4021, 'LUT': 7433,
                                   'URAM': 0}
    assert report['available']['DSP'] == 220


def test_values_are_plain_ints_and_floats():
    report = parse_csynth_xml(VITIS_XML)
    assert all(type(v) is int for v in report['resources'].values())
    assert all(type(v) is int for v in report['latency'].values())
    assert type(report['estimated_clock_ns']) is float


def test_mixed_defined_and_undef_latency(tmpdir):
    path = _vivado_with(tmpdir, '<Worst-caseLatency>undef</Worst-caseLatency>',
                        '<Worst-caseLatency>2093</Worst-caseLatency>')
    latency = parse_csynth_xml(path)['latency']
    assert latency == {'best': None, 'worst': 2093, 'interval_min': None, 'interval_max': None}


def test_missing_uram_is_none_not_zero(tmpdir):
    path = _vivado_with(tmpdir, '<URAM>0</URAM>', '', count=2)
    report = parse_csynth_xml(path)
    assert report['resources']['URAM'] is None and report['available']['URAM'] is None
    assert report['resources']['LUT'] == 30142


def test_no_version_gives_none(tmpdir):
    path = _vivado_with(tmpdir, '<Version>2018.3</Version>', '')
    assert parse_csynth_xml(path)['version'] is None


def test_truncated_xml_raises_report_error_naming_the_file():
    with pytest.raises(ReportError) as info:
        parse_csynth_xml(os.path.join(DATA, 'truncated_csynth.xml'))
    message = str(info.value)
    assert 'truncated_csynth.xml' in message and 'not a well-formed XML report' in message
    assert isinstance(info.value, ValueError)


def test_missing_resources_are_named():
    with pytest.raises(ReportError, match=r'no_lut_csynth\.xml: <AreaEstimates/Resources> '
                                          r'lacks LUT'):
        parse_csynth_xml(os.path.join(DATA, 'no_lut_csynth.xml'))


@pytest.mark.parametrize('old, new, expected', [
    ('<TopModelName>BlackBoxJam</TopModelName>', '',
     'missing element <UserAssignments/TopModelName>'),
    ('<Part>xc7z020clg400-1</Part>', '<Part>  </Part>', 'element <UserAssignments/Part> is empty'),
    ('<EstimatedClockPeriod>4.375</EstimatedClockPeriod>',
     '<EstimatedClockPeriod>fast</EstimatedClockPeriod>',
     "element <PerformanceEstimates/SummaryOfTimingAnalysis/EstimatedClockPeriod> should be a "
     "number, got 'fast'"),
    ('<Interval-max>undef</Interval-max>', '',
     'missing element <PerformanceEstimates/SummaryOfOverallLatency/Interval-max>'),
    ('<Best-caseLatency>undef</Best-caseLatency>', '<Best-caseLatency>?</Best-caseLatency>',
     "SummaryOfOverallLatency/Best-caseLatency> should be a number, got '?'"),
    ('<LUT>30142</LUT>', '<LUT>30k</LUT>',
     "element <AreaEstimates/Resources/LUT> should be a number, got '30k'"),
    ('<DSP48E>220</DSP48E>', '', '<AreaEstimates/AvailableResources> lacks DSP'),
])
def test_malformed_elements_are_named(tmpdir, old, new, expected):
    path = _vivado_with(tmpdir, old, new)
    with pytest.raises(ReportError) as info:
        parse_csynth_xml(path)
    assert str(info.value).startswith(path + ': ')
    assert expected in str(info.value)


def test_missing_area_section(tmpdir):
    path = _write(tmpdir, 'x_csynth.xml', u'<profile><UserAssignments/></profile>')
    with pytest.raises(ReportError, match='missing element'):
        parse_csynth_xml(path)


def test_empty_file_is_a_report_error(tmpdir):
    path = _write(tmpdir, 'empty_csynth.xml', u'')
    with pytest.raises(ReportError, match='not a well-formed XML report'):
        parse_csynth_xml(path)


def test_missing_file_is_an_io_error(tmpdir):
    with pytest.raises(EnvironmentError):
        parse_csynth_xml(str(tmpdir.join('nope.xml')))


def _project(tmpdir, solution='sol1', top='BlackBoxJam'):
    report_dir = tmpdir.join('lfcW1A1-pynqZ1-Z2', solution, 'syn', 'report')
    report_dir.ensure(dir=True)
    shutil.copy(VIVADO_XML, str(report_dir.join('%s_csynth.xml' % top)))
    return str(tmpdir.join('lfcW1A1-pynqZ1-Z2'))


def test_find_csynth_report(tmpdir):
    project = _project(tmpdir)
    path = find_csynth_report(project)
    assert path == os.path.join(project, 'sol1', 'syn', 'report', 'BlackBoxJam_csynth.xml')
    assert parse_csynth_xml(path)['top'] == 'BlackBoxJam'


def test_find_csynth_report_other_top_and_solution(tmpdir):
    project = _project(tmpdir, solution='solution1', top='mvau')
    assert find_csynth_report(project, top='mvau', solution='solution1').endswith(
        os.path.join('solution1', 'syn', 'report', 'mvau_csynth.xml'))


def test_find_csynth_report_lists_what_exists(tmpdir):
    project = _project(tmpdir, solution='solution1')
    with pytest.raises(ReportError) as info:
        find_csynth_report(project)
    message = str(info.value)
    assert os.path.join('sol1', 'syn', 'report', 'BlackBoxJam_csynth.xml') in message
    assert os.path.join('solution1', 'syn', 'report', 'BlackBoxJam_csynth.xml') in message


def test_find_csynth_report_in_empty_dir(tmpdir):
    with pytest.raises(ReportError, match='found instead: none'):
        find_csynth_report(str(tmpdir))


def test_find_csynth_report_anywhere_prefers_the_top_report_then_the_first_below(tmpdir):
    project = _project(tmpdir)
    assert find_csynth_report(project, anywhere=True) == find_csynth_report(project)
    other = tmpdir.mkdir('other')
    _write(other.mkdir('b').mkdir('deep'), 'z_csynth.xml', u'')
    _write(other.mkdir('a'), 'y_csynth.xml', u'')
    _write(other, 'notes.xml', u'')
    assert find_csynth_report(str(other), anywhere=True) == os.path.join(str(other), 'a',
                                                                         'y_csynth.xml')
    with pytest.raises(ReportError, match='found instead: none'):
        find_csynth_report(str(tmpdir.mkdir('empty')), anywhere=True)


def test_utilization_rpt_matches_the_xml():
    text_report = parse_utilization_rpt(VIVADO_RPT)
    xml_report = parse_csynth_xml(VIVADO_XML)
    assert text_report['source'] == 'csynth-rpt'
    assert text_report['resources'] == xml_report['resources']
    assert text_report['available'] == xml_report['available']


def test_utilization_rpt_with_vitis_dsp_column_and_dashes(tmpdir):
    text = u'\n'.join([
        '== Utilization Estimates',
        '* Summary: ',
        '+-----------------+---------+----+-------+-------+-----+',
        '|       Name      | BRAM_18K| DSP|   FF  |  LUT  | URAM|',
        '+-----------------+---------+----+-------+-------+-----+',
        '|Total            |       10|  16|   1159|   1889|    -|',
        '+-----------------+---------+----+-------+-------+-----+',
        '|Available        |      100|  90|  41600|  20800|    0|',
        '+-----------------+---------+----+-------+-------+-----+',
        '|Utilization (%)  |       10|  17|     ~0|      9|    0|',
        '+-----------------+---------+----+-------+-------+-----+',
        ''])
    report = parse_utilization_rpt(_write(tmpdir, 'k_csynth.rpt', text))
    assert report['resources'] == {'BRAM_18K': 10, 'DSP': 16, 'FF': 1159, 'LUT': 1889,
                                   'URAM': 0}
    assert report['available']['DSP'] == 90


@pytest.mark.parametrize('text, expected', [
    (u'== Performance Estimates\n', 'no "Utilization Estimates" section'),
    (u'== Utilization Estimates\n\nnothing here\n', 'no summary table'),
    (u'== Utilization Estimates\n|  Name | LUT|\n|Total  |   5|\n', 'has no "Available" row'),
    (u'== Utilization Estimates\n|  Name | LUT|\n|Total  | 5k|\n|Available| 9|\n',
     "Total/LUT> should be a number, got '5k'"),
])
def test_utilization_rpt_errors(tmpdir, text, expected):
    with pytest.raises(ReportError) as info:
        parse_utilization_rpt(_write(tmpdir, 'bad.rpt', text))
    assert expected in str(info.value)
