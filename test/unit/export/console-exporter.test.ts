import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { epochMicros } from '../../../src/clock';
import { ConsoleSpanExporter } from '../../../src/export/console-exporter';
import { makeSpan } from './fixtures';

describe('ConsoleSpanExporter', () => {
  it('writes one JSON line per span with readable kind, status, duration and events', async () => {
    const writes: string[] = [];
    const exporter = new ConsoleSpanExporter((text) => writes.push(text));
    const span = makeSpan({
      kind: SpanKind.CLIENT,
      startTime: 100,
      endTime: 112.3456,
      attributes: { 'db.system': 'postgresql' },
      events: [{ name: 'retry', time: 105.5, attributes: { attempt: 1 }, droppedAttributesCount: 0 }],
      status: { code: SpanStatusCode.ERROR, message: 'timeout' },
    });
    const other = makeSpan({ parentSpanId: undefined });
    expect(await exporter.export([span, other])).toEqual({ ok: true });

    expect(writes).toHaveLength(1); // one write per batch
    const lines = writes[0]!.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const first = JSON.parse(lines[0]!);
    expect(first).toEqual({
      traceId: span.traceId,
      parentId: span.parentSpanId,
      id: span.spanId,
      name: 'GET /users/:id',
      kind: 'CLIENT',
      timestamp: new Date(epochMicros(100) / 1000).toISOString(),
      duration: 12.346,
      attributes: { 'db.system': 'postgresql' },
      status: { code: 'ERROR', message: 'timeout' },
      scope: 'waymark-http@0.1.0',
      events: [{ name: 'retry', at: 5.5, attributes: { attempt: 1 } }],
    });
    const second = JSON.parse(lines[1]!);
    expect(second.parentId).toBeUndefined();
    expect(second.status).toEqual({ code: 'UNSET' });
    expect(second).not.toHaveProperty('events');
  });

  it('reports a failing stdout as a failed export instead of throwing', async () => {
    const exporter = new ConsoleSpanExporter(() => {
      throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    });
    const result = await exporter.export([makeSpan()]);
    expect(result.ok).toBe(false);
    expect(result.error?.message).toBe('write EPIPE');
  });

  it('writes nothing for an empty batch', async () => {
    const writes: string[] = [];
    await new ConsoleSpanExporter((text) => writes.push(text)).export([]);
    expect(writes).toEqual([]);
  });

  it('writes the same lines synchronously with exportSync', async () => {
    const writes: string[] = [];
    const exporter = new ConsoleSpanExporter((text) => writes.push(text));
    const span = makeSpan();
    expect(exporter.exportSync([[span]])).toBe(1);
    expect(writes).toHaveLength(1);
    expect(JSON.parse(writes[0]!.trim()).id).toBe(span.spanId);
  });
});
