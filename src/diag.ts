/**
 * The agent's own diagnostic output: one line per message on stderr, prefixed, filtered
 * by OTEL_LOG_LEVEL. It never throws, and it never goes through the app's console
 * (which an app may have patched).
 */
export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

const RANK: Record<LogLevel, number> = { none: 0, error: 1, warn: 2, info: 3, debug: 4, verbose: 5, all: 6 };

let threshold = RANK.info;
let sink: (line: string) => void = (line) => {
  try {
    process.stderr.write(line + '\n');
  } catch {
    // stderr closed: nothing sensible left to do.
  }
};

/** Sets the level below which messages are dropped. */
export function setLogLevel(level: LogLevel): void {
  threshold = RANK[level];
}

/** Redirects diagnostic lines (tests capture them). */
export function setLogSink(fn: (line: string) => void): void {
  sink = fn;
}

function emit(level: Exclude<LogLevel, 'none' | 'all'>, msg: string): void {
  if (RANK[level] > threshold) return;
  sink(`[waymark] ${level}: ${msg}`);
}

export const diag = {
  error: (msg: string) => emit('error', msg),
  warn: (msg: string) => emit('warn', msg),
  info: (msg: string) => emit('info', msg),
  debug: (msg: string) => emit('debug', msg),
  verbose: (msg: string) => emit('verbose', msg),
  enabled: (level: LogLevel) => RANK[level] <= threshold,
};

/** One line per key per interval, with how many were suppressed in between. */
export class RateLimitedLog {
  #last = new Map<string, { at: number; suppressed: number }>();
  constructor(private readonly intervalMs: number) {}

  warn(key: string, msg: string): void {
    const t = Date.now();
    const seen = this.#last.get(key);
    if (seen && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    const extra = seen && seen.suppressed > 0 ? ` (${seen.suppressed} similar messages suppressed)` : '';
    this.#last.set(key, { at: t, suppressed: 0 });
    diag.warn(msg + extra);
  }
}

/** Error message for a diagnostic line, whatever was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
