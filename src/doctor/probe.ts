/**
 * Preloaded after the agent into the app `waymark doctor` starts: writes the startup
 * report's data to stderr behind a marker, once loading had time to settle or at exit,
 * whichever comes first. Synchronous write: it must also work inside an 'exit' listener.
 */
import { writeSync } from 'node:fs';
import { getStartupReport } from '../index';
import { PROBE_MARKER } from './probe-marker';

/** How long the app runs before the report is taken (the startup report waits up to 3 s). */
const SETTLE_MS = 3_200;

let sent = false;
function send(): void {
  if (sent) return;
  sent = true;
  try {
    writeSync(2, `${PROBE_MARKER}${JSON.stringify(getStartupReport() ?? null)}\n`);
  } catch {
    // The doctor reports the missing line; the app is not disturbed.
  }
}

process.once('exit', send);
setTimeout(send, SETTLE_MS).unref();
