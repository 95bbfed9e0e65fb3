"""The QONNX export checked on trained networks: qonnx's executor against the integer model.

For W1A1, W2A2, W4A3 and W8A8 (784-1024x3-10), each with binarised and with 8-bit pixel
inputs, it trains a short run with ``qnn train`` (skipped when the run folder is finished,
resumed when interrupted), writes it with ``qnn hwgen qonnx``'s exporter, and classifies the
10 000 MNIST test images three ways: hwgen's integer model, the numpy executor of the graph
(:mod:`hwgen.qonnx.execute`) and qonnx's own executor (``scripts/qonnx_execute.py`` run by the
QONNX environment's Python, ``make qonnx-env``). It prints, per network, how many labels
differ from the integer model and whether the float64 scores are bit-identical, writes
``OUT/qonnx-check.json``, and exits 1 when anything differs.

Usage (modern stack): python benchmarks/bench_qonnx.py --qonnx-python .venv-qonnx/bin/python
    [--out studies/qonnx-check] [--epochs 1] [--train-size 5000] [--data-dir D]
(``make check-qonnx`` runs it.)
"""
from __future__ import absolute_import, division, print_function

import argparse
import os
import subprocess
import sys
import time

import numpy as np
from tqdm import tqdm

from hwgen.qonnx.execute import run_graph
from hwgen.qonnx.export import export_qonnx, qonnx_model
from hwgen.trained.network import from_run
from qnn import runs
from qnn.fileio import atomic_write, makedirs
from qnn.data.mnist import load_subset

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXECUTE_SCRIPT = os.path.join(ROOT, 'scripts', 'qonnx_execute.py')
PRECISIONS = [(1, 1), (2, 2), (4, 3), (8, 8)]


def _train(run_dir, wbits, abits, binarize, args):
    """Train (or resume) the short run unless it is finished."""
    if os.path.isdir(run_dir) and runs.is_finished(run_dir):
        return
    command = [sys.executable, '-m', 'qnn', 'train', '--wbits', str(wbits), '--abits',
               str(abits), '--epochs', str(args.epochs), '--train-size', str(args.train_size),
               '--binarize-input' if binarize else '--pixel-input', '--no-progress',
               '--out', run_dir]
    if args.data_dir:
        command += ['--data-dir', args.data_dir]
    subprocess.check_call(command)


def _qonnx_labels(qonnx_python, model_path, images_path, out_path, batch):
    subprocess.check_call([qonnx_python, EXECUTE_SCRIPT, model_path, images_path, out_path,
                           '--batch', str(batch)])
    result = np.load(out_path)
    return result['label'], result['scores']


def check_one(name, run_dir, images, labels, images_path, args):
    """One network: the three classifications and how they compare."""
    network = from_run(run_dir)
    model_path = os.path.join(args.out, 'models', name + '.onnx')
    export_qonnx(run_dir, model_path)
    started = time.time()
    accumulators = network.integer_model().run(network.input_fields(images)).accumulators
    int_scores = network.scores.scores(accumulators)
    int_labels = network.scores.classify(accumulators)
    int_seconds = time.time() - started
    numpy_out = run_graph(qonnx_model(network, len(images)),
                          {'pixels': images.reshape(len(images), -1).astype(np.float32)})
    started = time.time()
    qonnx_labels, qonnx_scores = _qonnx_labels(
        args.qonnx_python, model_path, images_path,
        os.path.join(args.out, 'models', name + '-qonnx.npz'), args.batch)
    return {'network': name, 'run_dir': run_dir, 'model': model_path,
            'accuracy': float(np.mean(int_labels == labels)),
            'qonnx_label_mismatches': int(np.count_nonzero(qonnx_labels != int_labels)),
            'qonnx_scores_identical': bool(np.array_equal(qonnx_scores, int_scores)),
            'numpy_label_mismatches': int(np.count_nonzero(numpy_out['label'] != int_labels)),
            'numpy_scores_identical': bool(np.array_equal(numpy_out['scores'], int_scores)),
            'intmodel_seconds': round(int_seconds, 2),
            'qonnx_seconds': round(time.time() - started, 2)}


def _print_table(results):
    print('%-10s %8s %22s %22s %10s' % ('network', 'accuracy', 'qonnx exec: mismatches',
                                        'numpy exec: mismatches', 'qonnx s'))
    for r in results:
        print('%-10s %7.2f%% %13d (%s) %13d (%s) %10.1f'
              % (r['network'], 100 * r['accuracy'], r['qonnx_label_mismatches'],
                 'scores ==' if r['qonnx_scores_identical'] else 'scores !=',
                 r['numpy_label_mismatches'],
                 'scores ==' if r['numpy_scores_identical'] else 'scores !=',
                 r['qonnx_seconds']))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--qonnx-python', default=os.path.join(ROOT, '.venv-qonnx', 'bin',
                                                               'python'))
    parser.add_argument('--out', default='studies/qonnx-check')
    parser.add_argument('--epochs', type=int, default=1)
    parser.add_argument('--train-size', type=int, default=5000)
    parser.add_argument('--batch', type=int, default=1000, help="qonnx executor's batch")
    parser.add_argument('--data-dir')
    args = parser.parse_args(argv)
    if not os.path.isfile(args.qonnx_python):
        parser.error('no QONNX environment at %s: run `make qonnx-env`' % args.qonnx_python)
    makedirs(os.path.join(args.out, 'models'))
    images, labels = load_subset('test', args.data_dir)
    images_path = os.path.join(args.out, 'test-images.npz')
    with atomic_write(images_path, 'wb') as handle:
        np.savez(handle, pixels=images.reshape(len(images), -1))
    cases = [(w, a, binarize) for w, a in PRECISIONS for binarize in (True, False)]
    results = []
    for wbits, abits, binarize in tqdm(cases, desc='networks', unit='net'):
        name = 'W%dA%d-%s' % (wbits, abits, 'bin' if binarize else 'pix')
        run_dir = os.path.join(args.out, 'runs', name)
        _train(run_dir, wbits, abits, binarize, args)
        results.append(check_one(name, run_dir, images, labels, images_path, args))
    _print_table(results)
    runs.write_json(os.path.join(args.out, 'qonnx-check.json'), results)
    same = all(r['qonnx_label_mismatches'] == 0 and r['qonnx_scores_identical'] and
               r['numpy_label_mismatches'] == 0 and r['numpy_scores_identical']
               for r in results)
    print('qonnx executor and integer model agree on every image: %s' % ('yes' if same else 'NO'))
    return 0 if same else 1


if __name__ == '__main__':
    sys.exit(main())
