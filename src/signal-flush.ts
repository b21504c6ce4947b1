type Signal = 'SIGTERM' | 'SIGINT';
const SIGNALS: readonly Signal[] = ['SIGTERM', 'SIGINT'];

const noop = (): void => {};

/**
 * Flushes before SIGTERM/SIGINT end a process that does not handle them, and is absent
 * wherever the app (or a library of it) does: our listener is on a signal only while no
 * other listener is.
 * - Why absent: a listener's presence is itself read by others. signal-exit (under execa,
 *   ink, foreground-child, write-file-atomic …) runs its cleanup and re-raises the signal
 *   only when its own listeners are alone; seeing ours, it would do neither, and the
 *   process would neither clean up nor end.
 * - So when another listener is added, ours steps aside in a microtask (the signal stays
 *   caught meanwhile, and signals are dispatched from the event loop, never before the
 *   microtasks run); when the last other one is removed, ours comes back. A library that
 *   removes its listeners and re-raises the signal (signal-exit, node-cleanup) then meets
 *   ours, and the flush still happens before the process dies.
 * - Ours runs `flush` (which the caller bounds), removes itself and re-raises the signal:
 *   with no listener left Node restores the default disposition, and the process dies by
 *   the signal (status 128+n), as it would have without us. A second signal during the
 *   flush re-raises at once.
 */
export function installSignalFlush(flush: () => Promise<void>): () => void {
  const ours = new Map<string | symbol, () => void>();

  const uninstall = (): void => {
    process.removeListener('newListener', onNewListener);
    process.removeListener('removeListener', onRemoveListener);
    for (const [sig, listener] of ours) process.removeListener(sig, listener);
  };

  const reraise = (sig: Signal): void => {
    uninstall();
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  };

  for (const sig of SIGNALS) {
    let flushing = false;
    ours.set(sig, () => {
      // Another listener came in this very tick: it decides.
      if (process.listenerCount(sig) > 1) return;
      if (flushing) return reraise(sig);
      flushing = true;
      // Our own timers and sockets are unref'd: keep the process alive while flushing.
      const keepAlive = setInterval(noop, 1 << 30);
      void flush().finally(() => {
        clearInterval(keepAlive);
        reraise(sig);
      });
    });
  }

  function onNewListener(event: string | symbol, listener: unknown): void {
    const mine = ours.get(event);
    if (mine === undefined || listener === mine) return;
    queueMicrotask(() => {
      if (process.listenerCount(event) > 1) process.removeListener(event, mine);
    });
  }

  function onRemoveListener(event: string | symbol, listener: unknown): void {
    const mine = ours.get(event);
    if (mine === undefined || listener === mine) return;
    if (process.listenerCount(event) === 0) process.on(event, mine);
  }

  for (const [sig, listener] of ours) if (process.listenerCount(sig) === 0) process.on(sig, listener);
  process.on('newListener', onNewListener);
  process.on('removeListener', onRemoveListener);
  return uninstall;
}
