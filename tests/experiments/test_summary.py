"""Summary blocks: prose numbers generated from the store, and the committed files up to date."""
from __future__ import absolute_import, division

import collections
import io
import os

import pytest

from experiments import store, summary
from fakes import fake_hardware

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))


def _results(study_dir):
    store.build_store(study_dir, hardware=fake_hardware)
    return store.read_store(study_dir)


def test_error_table_ranges_per_budget_and_weight_precision(full_early_study):
    # conftest: error = 10 % - 1 pp per W bit - 0.2 pp per A bit - 0.1 pp per epoch
    table = summary.error_table(_results(full_early_study)).split('\n')
    assert table[2] == '| 10 | 1 bit | 3 | 7.20-7.80 % | W1A4 | W1A1 |'
    assert table[-1] == '| 20 | 4 bits | 3 | 3.20-3.80 % | W4A4 | W4A1 |'
    coverage = summary.coverage_table(_results(full_early_study)).split('\n')
    # 9 networks x 10 epochs x 2 s: 0.05 run-hours
    assert coverage[2] == '| 10 | 9 | 7 | 9 | 0.1 | 2.0 | not recorded |'


def test_blocks_are_filled_between_their_markers_only(tmpdir, full_early_study):
    results = _results(full_early_study)
    path = str(tmpdir.join('notes.md'))
    text = (u'# Notes\n\nBefore.\n<!-- qnn-summary:errors -->\nstale numbers\n'
            '<!-- /qnn-summary:errors -->\nAfter.\n')
    with io.open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)
    assert summary.update_file(path, results)
    with io.open(path, encoding='utf-8') as handle:
        filled = handle.read()
    assert filled.startswith('# Notes\n\nBefore.\n<!-- qnn-summary:errors -->\n| epochs |')
    assert filled.endswith('| W4A1 |\n<!-- /qnn-summary:errors -->\nAfter.\n')
    assert 'stale' not in filled
    assert not summary.update_file(path, results)  # a second run changes nothing


@pytest.mark.parametrize('text, message', [
    ('<!-- qnn-summary:errors -->\nno end\n', "'errors' has no closing marker"),
    ('<!-- qnn-summary:typo -->\n<!-- /qnn-summary:typo -->\n', "unknown summary block 'typo'")])
def test_broken_markers_are_refused(text, message, full_early_study):
    with pytest.raises(summary.SummaryError) as error:
        summary.fill_blocks(text, _results(full_early_study))
    assert message in str(error.value)


@pytest.mark.skipif(not os.path.isfile(os.path.join(ROOT, 'results', store.STORE_FILE)),
                    reason='no results store in results/')
def test_committed_prose_carries_the_numbers_of_the_committed_store():
    results = store.read_store(os.path.join(ROOT, 'results'))
    for name in ('results/README.md', 'README.md'):
        with io.open(os.path.join(ROOT, name), encoding='utf-8') as handle:
            text = handle.read()
        assert '<!-- qnn-summary:' in text, name
        assert summary.fill_blocks(text, results) == text, \
            '%s is out of date: run make results' % name


def test_ties_name_the_network_of_fewest_bits_in_every_stack(monkeypatch):
    # W2A1 and W2A2 tie: the table names W2A1 whatever order the networks come in
    from experiments import seeds

    class Estimate(object):
        def __init__(self, mean):
            self.mean, self.se, self.n = mean, 0.1, 1
    for order in ([(2, 2), (2, 1)], [(2, 1), (2, 2)]):
        table = collections.OrderedDict((net, Estimate(2.98)) for net in order)
        monkeypatch.setattr(seeds, 'network_estimates', lambda results, t=table: {20: t})
        assert summary.error_table({}).splitlines()[-1] == \
            '| 20 | 2 bits | 2 | 2.98-2.98 % | W2A1 | W2A1 |'
