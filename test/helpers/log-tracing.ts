import { Writable } from 'node:stream';
import type * as Http from 'node:http';
import { installHooks, type HooksHandle } from '../../src/hooks';
import type { TestAgent } from './agent-harness';
import { nodeRequire, testEntries, testedPackages } from './registry';
import { startSdk } from './tracing';

/** The log libraries' majors their tests run (the registry entries' `testedWith`), by the name each is installed under. */
export const TESTED: Record<'pino' | 'winston' | 'bunyan', ReadonlyArray<{ id: string; major: number }>> = {
  pino: testedPackages('pino'),
  winston: testedPackages('winston'),
  bunyan: testedPackages('bunyan'),
};

/**
 * Starts the SDK and the hooks of `http` and the log instrumentation `name` (fetch stays
 * out: tests send their own traceparent with it). Returns the hooked `http` and a loader
 * for the library.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function startLogTracing(name: 'pino' | 'winston' | 'bunyan'): { agent: TestAgent; hooks: HooksHandle; http: typeof Http; load<T = any>(id: string): T } {
  const agent = startSdk();
  const hooks = installHooks({ enabled: ['http', name] }, testEntries());
  return { agent, hooks, http: nodeRequire('node:http') as typeof Http, load: (id) => nodeRequire(id) };
}

/** A real writable stream that keeps what is written to it, line by line. */
export class LineSink extends Writable {
  readonly chunks: string[] = [];
  constructor(objectMode = false) {
    super({ objectMode });
  }
  override _write(chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' || Buffer.isBuffer(chunk) ? String(chunk) : JSON.stringify(chunk));
    cb();
  }
  /** Every complete line written so far. */
  lines(): string[] {
    return this.chunks.join('').split('\n').filter((l) => l !== '');
  }
  /** The lines parsed as JSON. */
  records(): Array<Record<string, unknown>> {
    return this.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** The three correlation fields of a record, and the record without them. */
export function splitTraceFields(record: Record<string, unknown>): { fields: Record<string, unknown>; rest: Record<string, unknown> } {
  const { trace_id, span_id, trace_flags, ...rest } = record;
  const fields: Record<string, unknown> = {};
  if (trace_id !== undefined) fields.trace_id = trace_id;
  if (span_id !== undefined) fields.span_id = span_id;
  if (trace_flags !== undefined) fields.trace_flags = trace_flags;
  return { fields, rest };
}
