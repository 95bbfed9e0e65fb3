"""The ``qnn`` command line: argparse, one library call per command, an exit code."""
from __future__ import absolute_import, division, print_function

import argparse
import logging
import sys
import traceback

__all__ = ['main', 'build_parser', 'OneLineErrorParser']


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (``qnn train: error: ...``), exit status 2.

    argparse prints the whole usage before the error; the usage is one ``--help`` away, and a
    single line is what scripts and logs can show.
    """

    def error(self, message):
        self.exit(2, '%s: error: %s (see %s --help)\n'
                  % (self.prog, ' '.join(str(message).split()), self.prog))


def _train(args):
    from .backends import BREVITAS, THEANO, run_brevitas
    from .options import TRAIN, check_backend, config_values, forwarded_words
    check_backend(args, TRAIN, args.backend)
    if args.backend == BREVITAS:
        return run_brevitas(TRAIN, forwarded_words(args, TRAIN), args.brevitas_python,
                            args.verbose)
    from .runs import result_line
    from .train import train
    metrics = train(args.out, data_dir=args.data_dir, progress=not args.no_progress,
                    max_epochs=args.stop_after, **config_values(args, TRAIN, THEANO))
    print(result_line(metrics, args.out, args.epochs))


def _evaluate(args):
    from .evaluate import evaluate_run
    print('test error %.2f%%' % (100 * evaluate_run(args.run_dir, data_dir=args.data_dir)))


def _verify(args):
    from .verify import verify_run
    result = verify_run(args.run_dir, epochs=args.epochs, data_dir=args.data_dir,
                        progress=not args.no_progress)
    if result['identical']:
        print('bit-identical: %d epochs re-trained give the recorded parameters'
              % result['epochs_checked'])
    else:
        print('DIFFERENT: parameters first differ after epoch %d of %d checked'
              % (result['first_difference'] + 1, result['epochs_checked']))
    if result['max_abs_difference'] is not None:
        print('max |difference| of params.npz: %g' % result['max_abs_difference'])
    return 0 if result['identical'] else 1


def _data_download(args):
    from .data.download import download
    from .data.mnist import resolve_data_dir
    download(args.data_dir, progress=not args.no_progress)
    print('MNIST is in %s (SHA-256 verified)' % resolve_data_dir(args.data_dir))


def _data_verify(args):
    from .data.download import verify_checksums
    for path in verify_checksums(args.data_dir):
        print('ok  %s' % path)


def _figure_quantizers(args):
    from .plots import plot_quantized_activations
    for path in plot_quantized_activations(args.out, kind=args.kind):
        print(path)


def _add_train(commands):
    from .backends import add_backend_options
    from .options import TRAIN, add_options
    parser = commands.add_parser('train', help='train one quantized MLP')
    add_backend_options(parser)
    add_options(parser, TRAIN)
    parser.set_defaults(handler=_train)


def build_parser():
    """The argument parser of the ``qnn`` command."""
    parser = OneLineErrorParser(
        prog='qnn', description='Quantized MLPs for FPGAs: train, evaluate, generate hardware, '
        'run the study.')
    parser.add_argument('-v', '--verbose', action='store_true',
                        help='log progress details; show the traceback of an error')
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')
    commands.required = True
    _add_train(commands)

    evaluate = commands.add_parser('evaluate', help="recompute a run's test error")
    evaluate.add_argument('run_dir')
    evaluate.add_argument('--data-dir')
    evaluate.set_defaults(handler=_evaluate)

    verify = commands.add_parser('verify', help='re-train a run and check it is bit-identical')
    verify.add_argument('run_dir')
    verify.add_argument('--epochs', type=int, help='check only the first K epochs')
    verify.add_argument('--data-dir')
    verify.add_argument('--no-progress', action='store_true')
    verify.set_defaults(handler=_verify)

    data = commands.add_parser('data', help='MNIST files').add_subparsers(dest='action',
                                                                          metavar='ACTION')
    data.required = True
    download = data.add_parser('download', help='download MNIST and verify SHA-256')
    download.add_argument('--data-dir')
    download.add_argument('--no-progress', action='store_true')
    download.set_defaults(handler=_data_download)
    verify = data.add_parser('verify', help='check the SHA-256 of the MNIST files')
    verify.add_argument('--data-dir')
    verify.set_defaults(handler=_data_verify)

    figure = commands.add_parser('figure', help='draw figures').add_subparsers(
        dest='figure', metavar='FIGURE')
    figure.required = True
    quantizers = figure.add_parser('quantizers', help='quantized activations (Fig. 3)')
    quantizers.add_argument('--kind', choices=('tanh', 'hard_tanh'), default='tanh')
    quantizers.add_argument('--out', required=True, help='output folder')
    quantizers.set_defaults(handler=_figure_quantizers)
    for module in _plugins():
        module.add_commands(commands)
    return parser


def _plugins():
    """The ``cli`` modules of the packages that add commands (see :mod:`qnn.plugins`)."""
    from .plugins import COMMANDS, load_modules
    return load_modules(COMMANDS)


def _user_errors():
    """Exception types whose message is the whole story: the input was wrong (exit status 2)."""
    from .backends import BackendError
    from .config import ConfigError
    from .data.mnist import DataError
    from .paths import PathError
    from .runs import RunError
    from .training_version import TrainingVersionError
    # EnvironmentError: the operating system refused a read or a write (missing, denied, full)
    errors = (BackendError, ConfigError, DataError, PathError, RunError, TrainingVersionError,
              EnvironmentError)
    for module in _plugins():
        errors += tuple(module.ERRORS)
    return errors


def _one_line(error):
    """``error`` as one line: its message, or its type when it has none."""
    text = ' '.join(str(error).split())
    if isinstance(error, EnvironmentError) and getattr(error, 'filename', None) and \
            str(error.filename) not in text:
        text = '%s: %s' % (error.filename, text)
    return text or type(error).__name__


def _report(args, prefix, error, status):
    if args.verbose:
        traceback.print_exc()
    sys.stderr.write('%s: error: %s%s\n' % (prefix, _one_line(error), '' if args.verbose or
                                             status == 2 else ' (run with -v for details)'))
    return status


def main(argv=None):
    """Run the ``qnn`` command; returns the exit code.

    0: done; 1: a check failed (``verify``, ``hwgen csim``) or qnn itself failed; 2: the input
    was wrong (bad option, file or folder; the operating system refused a read or a write).
    Every error is one line on stderr; ``-v`` adds the traceback.
    """
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format='%(levelname)s %(name)s: %(message)s')
    prefix = 'qnn %s' % args.command
    user_errors = _user_errors()
    try:
        return args.handler(args) or 0
    except KeyboardInterrupt:
        sys.stderr.write('%s: interrupted\n' % prefix)
        return 130
    except user_errors as error:
        return _report(args, prefix, error, 2)
    except Exception as error:  # a bug in qnn: still one line, the traceback with -v
        return _report(args, prefix, 'unexpected %s: %s' % (type(error).__name__,
                                                            _one_line(error)), 1)


if __name__ == '__main__':
    sys.exit(main())
