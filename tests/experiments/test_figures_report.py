"""Figures and the reproduction report from a synthetic store; claims with known verdicts."""
from __future__ import absolute_import, division

import io
import os

from experiments import analysis, error_figures, hardware, report, resource_figures, store
from experiments.figures import draw_all
from fakes import fake_hardware, fake_hardware_mixed

PNG_MAGIC = b'\x89PNG'


def _results(study_dir, hardware=fake_hardware):
    store.build_store(study_dir, hardware=hardware)
    return store.read_store(study_dir)


def test_all_figures_are_drawn_as_png_and_pdf(fake_study):
    figures = draw_all(_results(fake_study), os.path.join(fake_study, 'figures'))
    assert sorted(figures) == ['fig3_quantized_tanh', 'fig5_error_grid', 'fig5_error_vs_epochs',
                               'fig6_resources', 'fig7_radar']
    for paths in figures.values():
        assert sorted(p.rsplit('.', 1)[1] for p in paths) == ['pdf', 'png']
        png = [p for p in paths if p.endswith('.png')][0]
        with open(png, 'rb') as handle:
            assert handle.read(4) == PNG_MAGIC
        assert os.path.getsize(png) > 10000


def test_table2_fit_counts_and_variance_shares(fake_study):
    results = _results(fake_study)
    table = analysis.table2(results)
    assert table['error'][0] == 100 * (0.10 - 0.04 - 0.008 - 0.03)   # W4A4, 3 epochs
    assert table['error'][1] == 100 * (0.10 - 0.01 - 0.002 - 0.03)   # W1A1, 3 epochs
    assert table['BRAM_18K'] == (200, 800) and table['LUT'] == (35000, 140000)
    assert table['cycles'] == (512, 512) and table['images_per_second'] == (390625, 390625)
    counts = analysis.fit_counts(results)
    # BRAM 200 W <= 280 only for W1; FF always fits; LUT 20000 W + 15000 A <= 53200 for W1A1,
    # W1A2 only.
    assert (counts['BRAM_18K'], counts['FF'], counts['LUT'], counts['all']) == (3, 9, 2, 2)
    assert counts['networks'] == 9
    bram = analysis.variance_shares(analysis.resource_grid(results, 'BRAM_18K'))
    assert bram['A'] == 0 and abs(bram['W'] - 1) < 1e-12


def _claims(results):
    """``{claim function name: Claim}`` of every claim of the report."""
    return dict((claim.__name__, claim(results)) for claim in report.CLAIMS)


def test_report_lists_every_claim_with_its_scope_and_the_seed_rule(full_early_study):
    results = _results(full_early_study)
    markdown = report.render_markdown(results, {}, full_early_study)
    assert '| claim of the paper | this study | verdict | judged on |' in markdown
    assert len(report.evaluate_claims(results)) == len(report.CLAIMS) == 24
    for claim in report.evaluate_claims(results):
        assert '| %s | %s | **%s** | %s |' % claim in markdown
    # one seed per network: the test set's binomial error is the only noise known
    assert 'a difference counts when it is larger than twice its standard error' in markdown
    assert '10 epochs: 0.' in markdown and '(binomial (no repeated seeds))' in markdown


def _grid_hardware(source):
    """7 networks within the BRAM limit, 22 within the FFs, 4 within the whole Z7020."""
    def hardware(wbits, abits):
        bram = 200 if wbits == 1 and abits <= 7 else 400
        ff_fits = abits <= 2 or (abits == 3 and wbits <= 5) or (abits == 4 and wbits == 1)
        lut = 50000 if wbits == 1 and abits <= 4 else 60000 + 1000 * wbits * abits
        return {'LUT': lut, 'FF': 50000 + 1000 * abits if ff_fits else 200000,
                'BRAM_18K': bram, 'DSP': 0, 'source': source, 'models': {}, 'report': None}
    return hardware


def test_resource_claims_on_estimates_and_on_vivado_reports(full_grid_study):
    store.build_store(full_grid_study, hardware=_grid_hardware('estimate'))
    claims = _claims(store.read_store(full_grid_study))
    fits, device = claims['claim_fit_counts'], claims['claim_device_fits']
    assert fits.verdict == report.CONSISTENT and device.verdict == report.CONSISTENT
    assert '7 of 64 networks meet the BRAM limit, 22 the FF limit' in fits.ours
    assert device.ours.endswith('4 all three')
    store.build_store(full_grid_study, hardware=_grid_hardware(hardware.VIVADO))
    claims = _claims(store.read_store(full_grid_study))
    assert claims['claim_fit_counts'].verdict == report.HOLDS
    assert claims['claim_device_fits'].verdict == report.HOLDS


def test_resource_claims_not_consistent_with_the_estimate(full_grid_study):
    store.build_store(full_grid_study, hardware=lambda w, a: fake_hardware(w, a))
    claims = _claims(store.read_store(full_grid_study))
    # fake_hardware: BRAM 200 W fits for W1 only (8 networks), every FF fits
    assert claims['claim_fit_counts'].verdict == report.INCONSISTENT
    assert claims['claim_device_fits'].verdict == report.INCONSISTENT
    # estimates never give a plain verdict on a resource claim
    assert not any(claims[claim.__name__].verdict in (report.HOLDS, report.FAILS)
                   for claim in report.resource_claims.CLAIMS)


def test_report_files(fake_study):
    results = _results(fake_study)
    figures = draw_all(results, os.path.join(fake_study, 'figures'))
    paths = report.write_report(results, figures, fake_study)
    assert [os.path.basename(p) for p in paths] == ['report.md', 'report.html']
    with io.open(paths[0], encoding='utf-8') as handle:
        markdown = handle.read()
    assert '| error | 1.52 % | 2.07 % | 2.20 % | 5.80 % |' in markdown
    assert '![fig6_resources](figures/fig6_resources.png)' in markdown
    assert 'estimate' in markdown and 'theano 1.0.5' in markdown
    with io.open(paths[1], encoding='utf-8') as handle:
        html = handle.read()
    assert html.startswith('<!DOCTYPE html>') and '<img alt="fig5_error_vs_epochs"' in html
    assert html.count('<table') == 3
    assert 'Hardware throughput: 512 cycles per image, 390 625 images/s at 200 MHz' in markdown
    assert '| cycles per image | n/a | n/a | 512 | 512 |' in markdown
    assert '| W4A2 | 110000 | 48000 | 800 | 512 | 390625 | estimate |' in markdown
    assert 'Warning' not in markdown


def test_report_warns_when_networks_differ_in_throughput(fake_study):
    results = _results(fake_study, hardware=fake_hardware_mixed)
    assert analysis.throughputs(results) == {
        512: ['W1A1', 'W1A2', 'W1A4', 'W2A1', 'W2A2', 'W2A4'], 1024: ['W4A1', 'W4A2', 'W4A4']}
    assert analysis.table2(results)['images_per_second'] == (390625, 195312.5)
    markdown = report.render_markdown(results, {}, fake_study)
    assert '**Warning:** networks differ in throughput: 512 cycles per image (W1A1, W1A2, ' \
        'W1A4, W2A1, W2A2, W2A4), 1024 (W4A1, W4A2, W4A4); their resources are not ' \
        'compared at one design point' in markdown
    figures = draw_all(results, os.path.join(fake_study, 'figures'))
    assert sorted(figures) == ['fig3_quantized_tanh', 'fig5_error_grid', 'fig5_error_vs_epochs',
                               'fig6_resources', 'fig7_radar']


def test_table2_error_caveat_below_the_papers_longest_budget(full_early_study, full_long_study):
    early = report.render_markdown(_results(full_early_study), {}, full_early_study)
    assert ('Error is the test error at the largest epoch budget of the study (20 epochs; the '
            "paper's 1.52-2.07 % lie far below its own 10-20-epoch band, so they come from "
            'longer training, up to 100 epochs') in early
    long_run = report.render_markdown(_results(full_long_study), {}, full_long_study)
    assert 'Error is the test error at the largest epoch budget of the study. Hardware' in long_run


def _captured_figure(monkeypatch, module, draw, results, study_dir):
    """Per axes of the figure ``draw`` makes, caught where it would be saved: (images, texts,
    lines, title)."""
    captured = []

    def keep(figure, out_base):
        captured.append([(len(ax.images), sorted(t.get_text() for t in ax.texts),
                          len(ax.lines), ax.get_title()) for ax in figure.axes
                         if ax.get_visible()])
        return [out_base + '.png']
    monkeypatch.setattr(module, 'save_figure', keep)
    draw(results, os.path.join(study_dir, 'fig'))
    return captured[0]


def test_fig5_of_one_budget_is_only_the_grid_of_the_errors(monkeypatch, full_long_study):
    results = _results(full_long_study)
    assert 'fig5_error_vs_epochs' not in draw_all(results, os.path.join(full_long_study, 'f'))
    axes = _captured_figure(monkeypatch, error_figures, error_figures.plot_error_heatmaps,
                            results, full_long_study)
    assert axes[0][:2] == (1, ['2.60', '2.80', '3.60', '3.80'])    # the fixture's errors
    assert axes[0][3] == '100 epochs (1 seed)'
    assert len(axes) == 2                                            # and its colour bar


def test_fig5_against_epochs_has_a_panel_per_weight_precision(monkeypatch, fake_study):
    axes = _captured_figure(monkeypatch, error_figures, error_figures.plot_error_vs_epochs,
                            _results(fake_study), fake_study)
    assert [title for _, _, _, title in axes] == ['1-bit weights', '2-bit weights',
                                                  '4-bit weights']
    assert all(images == 0 and lines >= 3 for images, _, lines, _ in axes)  # one per A


def test_fig6_has_the_papers_axes_and_marks_what_does_not_fit(monkeypatch, fake_study):
    axes = _captured_figure(monkeypatch, resource_figures,
                            resource_figures.plot_resource_heatmaps, _results(fake_study),
                            fake_study)
    panels = [ax for ax in axes if ax[0] == 1]
    assert [title for _, _, _, title in panels] == [
        "LUT, relative (paper's view)", "FF, relative (paper's view)",
        "BRAM_18K, relative (paper's view)", "LUT, absolute (* more than the Z7020's 53200)",
        "FF, absolute (* more than the Z7020's 106400)",
        "BRAM_18K, absolute (* more than the Z7020's 280)"]
    # fake_hardware: BRAM 200 W, so W2 (400) and W4 (800) exceed 280 and W1 does not
    assert sorted(panels[5][1]) == ['200'] * 3 + ['400*'] * 3 + ['800*'] * 3


def _synthesised_hardware(wbits, abits):
    """fake_hardware with yosys-xc7 figures of both threshold units for W1 and W4: the search
    unit's LUTs grow with A, the parallel unit's with 2^A."""
    figures = fake_hardware(wbits, abits)
    if wbits in (1, 4):
        figures['synthesis'] = dict(
            (unit, {'LUT': luts, 'FF': 100 * abits, 'LUTRAM': 0, 'BRAM_18K': wbits, 'DSP': 0,
                    'source': 'yosys-xc7', 'run': 'x', 'tool': 'Yosys'})
            for unit, luts in (('parallel', 1000 * 2 ** abits), ('search', 1000 * abits)))
    return figures


def test_threshold_units_are_drawn_from_the_synthesis(fake_study):
    results = _results(fake_study, _synthesised_hardware)
    assert resource_figures.synthesised_grid(results, 'search', 'LUT') == {
        (1, 1): 1000, (1, 2): 2000, (1, 4): 4000, (4, 1): 1000, (4, 2): 2000, (4, 4): 4000}
    figures = draw_all(results, os.path.join(fake_study, 'figures'))
    png = [p for p in figures['threshold_units'] if p.endswith('.png')][0]
    with open(png, 'rb') as handle:
        assert handle.read(4) == PNG_MAGIC
    assert 'threshold_units' not in draw_all(_results(fake_study), os.path.join(fake_study, 'f'))


def _synthesis_over_estimates(missing=()):
    """Estimates of fake_hardware (their fit counts differ from the paper's) with yosys-xc7
    figures of _grid_hardware (7, 22 and 4 fit) for every network but ``missing``."""
    measured = _grid_hardware(hardware.SYNTHESIS)

    def figures(wbits, abits):
        result = fake_hardware(wbits, abits)
        if (wbits, abits) not in missing:
            result['synthesis'] = {'parallel': measured(wbits, abits)}
        return result
    return figures


def test_resource_claims_on_the_synthesis_of_every_network(full_grid_study):
    store.build_store(full_grid_study, hardware=_synthesis_over_estimates())
    results = store.read_store(full_grid_study)
    claims = dict((claim.text, claim) for claim in report.evaluate_claims(results))
    fits = [c for c in claims.values() if '7 of 64 networks meet the BRAM limit' in c.ours]
    assert len(fits) == 2  # the fit counts and the whole-device count
    assert all(c.verdict == report.SYNTH_HOLDS for c in fits)
    assert all(c.scope == '64 networks, hardware from yosys-xc7' for c in fits)
    text = report.render_markdown(results, {}, full_grid_study)
    assert 'Resource figures labelled yosys-xc7 are a Yosys synthesis' in text
    # one network without a synthesis: every resource claim stays on the estimates
    store.build_store(full_grid_study, hardware=_synthesis_over_estimates(missing={(8, 8)}))
    results = store.read_store(full_grid_study)
    assert hardware.measured_view(results) is results
    verdicts = {c.verdict for c in report.evaluate_claims(results)[-len(
        report.resource_claims.CLAIMS):]}
    assert not verdicts & {report.SYNTH_HOLDS, report.SYNTH_FAILS}


def test_measured_view_keeps_vivado_reports_and_takes_the_synthesis_elsewhere():
    results = {'hardware': {
        'W1A1': {'LUT': 1, 'FF': 2, 'BRAM_18K': 3, 'DSP': 0, 'source': hardware.VIVADO},
        'W1A2': {'LUT': 9, 'FF': 9, 'BRAM_18K': 9, 'DSP': 0, 'source': hardware.ESTIMATE,
                 'synthesis': {'parallel': {'LUT': 5, 'FF': 6, 'BRAM_18K': 7, 'DSP': 1,
                                            'source': hardware.SYNTHESIS},
                               'search': {'LUT': 4, 'FF': 4, 'BRAM_18K': 4, 'DSP': 0,
                                          'source': hardware.SYNTHESIS}}}}}
    view = hardware.measured_view(results)['hardware']
    assert view['W1A1'] == results['hardware']['W1A1']
    assert (view['W1A2']['LUT'], view['W1A2']['DSP'], view['W1A2']['source']) == \
        (5, 1, hardware.SYNTHESIS)
    assert results['hardware']['W1A2']['LUT'] == 9


def test_figures_no_longer_drawn_are_removed(fake_study):
    out_dir = os.path.join(fake_study, 'figures')
    draw_all(_results(fake_study, _synthesised_hardware), out_dir)
    assert os.path.isfile(os.path.join(out_dir, 'threshold_units.png'))
    keep = os.path.join(out_dir, 'notes.txt')
    with open(keep, 'w') as handle:
        handle.write('not a figure')
    figures = draw_all(_results(fake_study), out_dir)
    assert 'threshold_units' not in figures
    assert not os.path.exists(os.path.join(out_dir, 'threshold_units.png'))
    assert not os.path.exists(os.path.join(out_dir, 'threshold_units.pdf'))
    assert os.path.isfile(keep) and os.path.isfile(os.path.join(out_dir, 'fig6_resources.png'))
