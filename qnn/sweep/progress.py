"""The progress bar of a sweep: one bar in epochs, runs done in its description, and the
epochs of the runs under way as its postfix."""
from __future__ import absolute_import, division, print_function

import threading

from .plan import epochs_done, run_dir, target_epochs

__all__ = ['Progress', 'with_progress']


class Progress(object):
    """The bar of ``configs`` (a no-op when not ``enabled``); thread-safe."""

    def __init__(self, study_dir, backend, configs, enabled, until=None):
        self.until = until
        self.runs = [(backend.run_name(config), run_dir(study_dir, backend, config),
                      target_epochs(config, until)) for config in configs]
        self.done_runs = 0
        self.active = set()
        self.shown = None
        self.lock = threading.Lock()
        self.bar = None
        if enabled:
            from tqdm import tqdm
            self.bar = tqdm(total=sum(target for _, _, target in self.runs), unit='epoch',
                            dynamic_ncols=True)
        self.refresh()

    def started(self, name):
        """The run ``name`` started."""
        with self.lock:
            self.active.add(name)

    def finished(self, name):
        """The run ``name`` ended (done or not)."""
        with self.lock:
            self.active.discard(name)
            self.done_runs += 1
        self.refresh()

    def refresh(self):
        """Read the runs' epochs from their folders and redraw the bar if anything changed."""
        if self.bar is None:
            return
        with self.lock:
            counts = dict((name, (epochs_done(folder), target))
                          for name, folder, target in self.runs)
            done = sum(min(count, target) for count, target in counts.values())
            active = ' '.join('%s:%d/%d' % ((name,) + counts[name]) for name in sorted(self.active))
            state = (done, self.done_runs, active)
            if state == self.shown:
                return
            self.shown = state
            self.bar.set_description('runs %d/%d' % (self.done_runs, len(self.runs)),
                                     refresh=False)
            self.bar.set_postfix_str(active, refresh=False)
            self.bar.update(done - self.bar.n)
            self.bar.refresh()

    def close(self):
        """The last refresh; the bar is closed."""
        if self.bar is not None:
            self.refresh()
            self.bar.close()


def _poll(progress, stop, interval=2.0):
    while not stop.wait(interval):
        progress.refresh()


def with_progress(progress, run_all):
    """``run_all(progress)``, the bar refreshed every 2 s meanwhile and closed afterwards."""
    stop = threading.Event()
    poller = threading.Thread(target=_poll, args=(progress, stop))
    poller.daemon = True
    poller.start()
    try:
        return run_all(progress)
    finally:
        stop.set()
        progress.close()
