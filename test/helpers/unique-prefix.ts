import { randomBytes } from 'node:crypto';

/** A prefix unique to this run, for keys, queues and tables on the shared servers. */
export function uniquePrefix(what: string): string {
  return `wm-test:${what}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}
