import { describeError, diag } from './diag';

type Signal = 'SIGTERM' | 'SIGINT';
const SIGNALS: readonly Signal[] = ['SIGTERM', 'SIGINT'];

/**
 * Flushes finished spans when the process is about to end, without changing whether,
 * when or how it ends:
 * - `beforeExit`: the loop is empty; flushing queues an export, which keeps the loop alive
 *   just long enough, then Node emits beforeExit again and, with nothing left, exits with
 *   the code it would have used.
 * - SIGTERM/SIGINT: a listener of ours replaces Node's default "die by the signal". If the
 *   app has its own listener when the signal comes, the app decides and we only flush. If
 *   not, we flush (bounded by `timeoutMs`), remove our listener and re-raise the signal, so
 *   the process dies exactly as it would have without us (128+n, signal status). A second
 *   signal during the flush re-raises at once.
 * - `exit` (after `process.exit()`, or the app's own handler exiting): only synchronous
 *   work can run, so what is still queued goes out through the exporter's blocking path.
 */
export function installExitHooks(flush: () => Promise<void>, flushSync: () => void, timeoutMs: number): () => void {
  let flushing: Promise<void> | undefined;
  const boundedFlush = (): Promise<void> => {
    if (flushing) return flushing;
    let timer: NodeJS.Timeout | undefined;
    flushing = Promise.race([
      flush().catch((err) => diag.debug(`flush at exit failed: ${describeError(err)}`)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      }),
    ]).finally(() => {
      clearTimeout(timer);
      flushing = undefined;
    });
    return flushing;
  };

  const onBeforeExit = (): void => {
    void boundedFlush();
  };
  process.on('beforeExit', onBeforeExit);
  const onExit = (): void => {
    try {
      flushSync();
    } catch {
      // never in the way of an exit
    }
  };
  process.on('exit', onExit);

  const handlers = new Map<Signal, () => void>();
  for (const sig of SIGNALS) {
    let raised = false;
    const handler = (): void => {
      const appHandles = process.listenerCount(sig) > 1;
      if (appHandles) {
        void boundedFlush();
        return;
      }
      if (raised) return reraise(sig, handler); // second signal: stop waiting
      raised = true;
      // Keep the process alive while flushing (our timers and sockets are unref'd).
      const keepAlive = setInterval(() => {}, 1 << 30);
      void boundedFlush().finally(() => {
        clearInterval(keepAlive);
        reraise(sig, handler);
      });
    };
    handlers.set(sig, handler);
    process.on(sig, handler);
  }

  return () => {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('exit', onExit);
    for (const [sig, h] of handlers) process.removeListener(sig, h);
  };
}

function reraise(sig: Signal, handler: () => void): void {
  process.removeListener(sig, handler);
  // With no listener left, Node restores the default disposition: the signal kills us.
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}
