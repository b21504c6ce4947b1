import { describeError, diag } from './diag';
import { installSignalFlush } from './signal-flush';

/** What the exit hooks flush (the tracer provider). */
export interface ExitFlusher {
  /** The flush when the process is ending, over by `endBy` (epoch ms), no retries. */
  flushFinal(endBy: number): Promise<void>;
  /** The blocking flush for the `exit` event, within `timeoutMs`. */
  flushSync(timeoutMs: number): void;
}

/**
 * Flushes finished spans when the process is about to end, without changing whether or how
 * it ends, and delaying the end by at most `timeoutMs` (WAYMARK_SHUTDOWN_TIMEOUT):
 * - `beforeExit` (the loop is empty): flushing queues an export, which keeps the loop
 *   alive just long enough; Node then emits beforeExit again and exits with the code it
 *   would have used. Only when ours is the only listener: an app that listens would see
 *   that extra event. With app listeners, the `exit` event flushes instead.
 * - SIGTERM/SIGINT: see signal-flush.ts.
 * - `exit` (after `process.exit()`, a crash, or the app's own handler exiting): only
 *   synchronous work can run, so what is still queued goes out through the exporter's
 *   blocking path.
 */
export function installExitHooks(flusher: ExitFlusher, timeoutMs: number): () => void {
  let flushing: Promise<void> | undefined;
  const flushFinal = (): Promise<void> => {
    if (flushing) return flushing;
    let timer: NodeJS.Timeout | undefined;
    flushing = Promise.race([
      flusher.flushFinal(Date.now() + timeoutMs).catch((err) => diag.debug(`flush at exit failed: ${describeError(err)}`)),
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
    if (process.listenerCount('beforeExit') === 1) void flushFinal();
  };
  process.on('beforeExit', onBeforeExit);
  const onExit = (): void => {
    try {
      flusher.flushSync(timeoutMs);
    } catch {
      // never in the way of an exit
    }
  };
  process.on('exit', onExit);
  const removeSignalFlush = installSignalFlush(flushFinal);

  return () => {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('exit', onExit);
    removeSignalFlush();
  };
}
