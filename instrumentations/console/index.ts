import type { Instrumentation, InstrumentationKit } from '../../src/instrument';
import { wrapConsoleMethod } from './wrap-method';

/** The methods that print a line of the app's own; `trace`, `dir` and `table` print other shapes. */
const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Opt-in (WAYMARK_CONSOLE_TRACE_CONTEXT=true): apps parse their own console output more
 * often than a logger's, so a line changes only when asked for. Patches the global console
 * at agent start; other Console instances are left alone.
 */
export const instrumentation: Instrumentation = {
  start(kit: InstrumentationKit): void {
    if (!kit.settings.console.traceContext) return;
    for (const name of METHODS) kit.wrap(console, name, wrapConsoleMethod(kit));
  },
  stop(kit: InstrumentationKit): void {
    for (const name of METHODS) kit.unwrap(console, name);
  },
};
