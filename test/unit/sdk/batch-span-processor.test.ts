import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogSink } from '../../../src/diag';
import { OtlpHttpExporter } from '../../../src/export/otlp-http-exporter';
import type { EncodedBatch, ExportResult, SpanExporter, SpanRecord } from '../../../src/export/span-record';
import { ZipkinExporter } from '../../../src/export/zipkin-exporter';
import { BatchSpanProcessor } from '../../../src/sdk/batch-span-processor';
import {
  attributeMap,
  decodeProtoRequest,
  flattenSpans,
  startChildProcessReceiver,
  startOtlpReceiver,
  type OtlpReceiver,
} from '../../helpers/otlp-receiver';
import { RESOURCE, makeSpan, nanosString } from '../export/fixtures';

const span = (i: number, sampled = true) => ({ name: `s${i}`, traceFlags: sampled ? 1 : 0 }) as unknown as SpanRecord;

class ControlledExporter implements SpanExporter {
  batches: string[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  release: Array<() => void> = [];
  constructor(private readonly manual = false) {}
  export(spans: readonly SpanRecord[]): Promise<ExportResult> {
    this.batches.push(spans.map((s) => s.name));
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve) => {
      const done = () => {
        this.inFlight--;
        resolve({ ok: true });
      };
      if (this.manual) this.release.push(done);
      else setImmediate(done);
    });
  }
  async shutdown() {}
}

const opts = (o: Partial<ConstructorParameters<typeof BatchSpanProcessor>[1]> = {}) => ({
  scheduleDelayMs: 5000,
  exportTimeoutMs: 30000,
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  ...o,
});

const tick = () => new Promise((r) => setImmediate(r));

describe('BatchSpanProcessor', () => {
  it('exports as soon as a batch is full, without waiting for the delay', async () => {
    const exp = new ControlledExporter();
    const p = new BatchSpanProcessor(exp, opts({ maxExportBatchSize: 3 }));
    for (let i = 0; i < 3; i++) p.onEnd(span(i));
    expect(exp.batches).toEqual([]); // never on the caller's stack
    await tick();
    expect(exp.batches).toEqual([['s0', 's1', 's2']]);
  });

  it('exports a partial batch after the schedule delay', async () => {
    const exp = new ControlledExporter();
    const p = new BatchSpanProcessor(exp, opts({ scheduleDelayMs: 20 }));
    p.onEnd(span(1));
    await tick();
    expect(exp.batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(exp.batches).toEqual([['s1']]);
  });

  it('ignores unsampled spans', async () => {
    const exp = new ControlledExporter();
    const p = new BatchSpanProcessor(exp, opts());
    p.onEnd(span(1, false));
    await p.forceFlush();
    expect(exp.batches).toEqual([]);
  });

  it('keeps accepting during an export and never runs two exports at once', async () => {
    const exp = new ControlledExporter(true);
    const p = new BatchSpanProcessor(exp, opts({ maxExportBatchSize: 2 }));
    p.onEnd(span(0));
    p.onEnd(span(1));
    await tick();
    expect(exp.inFlight).toBe(1);
    for (let i = 2; i < 6; i++) p.onEnd(span(i));
    await tick();
    expect(exp.inFlight).toBe(1);
    expect(p.stats.queued).toBe(4);
    while (exp.release.length) {
      exp.release.shift()!();
      await tick();
      await tick();
    }
    expect(exp.maxInFlight).toBe(1);
    expect(exp.batches).toEqual([['s0', 's1'], ['s2', 's3'], ['s4', 's5']]);
  });

  it('drops past the queue bound, counts the drops and reports them in one line', async () => {
    const lines: string[] = [];
    setLogSink((l) => lines.push(l));
    try {
      const exp = new ControlledExporter(true);
      const p = new BatchSpanProcessor(exp, opts({ maxQueueSize: 10, maxExportBatchSize: 10 }));
      for (let i = 0; i < 10; i++) p.onEnd(span(i));
      await tick(); // first batch of 10 in flight, queue empty
      for (let i = 10; i < 35; i++) p.onEnd(span(i)); // 10 fit, 15 dropped
      expect(p.stats).toMatchObject({ queued: 10, dropped: 15 });
      exp.release.shift()!();
      const flushing = p.shutdown();
      await tick();
      while (exp.release.length) exp.release.shift()!();
      await flushing;
      const drops = lines.filter((l) => l.includes('dropped'));
      expect(drops).toHaveLength(1);
      expect(drops[0]).toContain('dropped 15 spans');
      expect(exp.batches.flat()).toHaveLength(20);
    } finally {
      setLogSink((l) => process.stderr.write(l + '\n'));
    }
  });

  it('forceFlush exports everything in batches; shutdown drops later spans', async () => {
    const exp = new ControlledExporter();
    const p = new BatchSpanProcessor(exp, opts({ maxExportBatchSize: 4 }));
    for (let i = 0; i < 10; i++) p.onEnd(span(i));
    await p.forceFlush();
    expect(exp.batches.flat()).toHaveLength(10);
    expect(Math.max(...exp.batches.map((b) => b.length))).toBe(4);
    await p.shutdown();
    p.onEnd(span(99));
    await p.forceFlush();
    expect(exp.batches.flat()).toHaveLength(10);
    expect(p.stats.dropped).toBe(1);
  });

  it('survives an exporter that throws or never answers (bounded by the export timeout)', async () => {
    const throwing: SpanExporter = { export: () => { throw new Error('boom'); }, shutdown: async () => {} };
    const p1 = new BatchSpanProcessor(throwing, opts());
    p1.onEnd(span(1));
    await p1.forceFlush();
    expect(p1.stats.failed).toBe(1);
    const hanging: SpanExporter = { export: () => new Promise(() => {}), shutdown: async () => {} };
    const p2 = new BatchSpanProcessor(hanging, opts({ exportTimeoutMs: 30 }));
    p2.onEnd(span(1));
    const t = Date.now();
    await p2.forceFlush();
    expect(Date.now() - t).toBeLessThan(1000);
    expect(p2.stats.failed).toBe(1);
  });
});

/** An exporter that encodes ahead into names joined by commas: bodies concatenate as protobuf's do. */
class SlicingExporter implements SpanExporter {
  batches: Array<{ via: 'encoded' | 'records'; names: string[] }> = [];
  syncBatches: Array<{ via: 'encoded' | 'records'; names: string[] }> = [];
  release: Array<() => void> = [];
  encodes = 0;
  constructor(
    private readonly manual = false,
    private readonly throwOn: (spans: readonly SpanRecord[]) => boolean = () => false,
  ) {}
  readonly encodeAhead = (spans: readonly SpanRecord[]): Uint8Array => {
    this.encodes++;
    if (this.throwOn(spans)) throw new Error('encoder bug');
    return Buffer.from(spans.map((s) => `${s.name},`).join(''));
  };
  static names(body: Uint8Array): string[] {
    return Buffer.from(body).toString().split(',').filter(Boolean);
  }
  #answer(): Promise<ExportResult> {
    return new Promise((resolve) => (this.manual ? this.release.push(() => resolve({ ok: true })) : setImmediate(() => resolve({ ok: true }))));
  }
  export(spans: readonly SpanRecord[]): Promise<ExportResult> {
    this.batches.push({ via: 'records', names: spans.map((s) => s.name) });
    return this.#answer();
  }
  exportEncoded(body: Uint8Array, spanCount: number): Promise<ExportResult> {
    const names = SlicingExporter.names(body);
    expect(names).toHaveLength(spanCount);
    this.batches.push({ via: 'encoded', names });
    return this.#answer();
  }
  exportSync(batches: ReadonlyArray<readonly SpanRecord[] | EncodedBatch>): number {
    for (const b of batches) {
      this.syncBatches.push('body' in b ? { via: 'encoded', names: SlicingExporter.names(b.body) } : { via: 'records', names: b.map((s) => s.name) });
    }
    return batches.length;
  }
  async shutdown() {}
}

const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `s${from + i}`);

describe('BatchSpanProcessor, encoding ahead', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('encodes slices of 64 off the caller stack and sends them joined, with the records not yet encoded, in batches of at most maxExportBatchSize', async () => {
    const exp = new SlicingExporter();
    const p = new BatchSpanProcessor(exp, opts({ maxExportBatchSize: 100 }));
    for (let i = 0; i < 64; i++) p.onEnd(span(i));
    expect(exp.encodes).toBe(0); // never inside onEnd
    await tick();
    expect(exp.encodes).toBe(1);
    expect(p.stats.queued).toBe(64);
    for (let i = 64; i < 100; i++) p.onEnd(span(i));
    await tick();
    // one slice of 64 plus 36 records encoded at export time
    expect(exp.batches).toEqual([{ via: 'encoded', names: names(0, 100) }]);
    for (let i = 100; i < 1000; i++) p.onEnd(span(i));
    await p.forceFlush();
    expect(exp.batches.every((b) => b.names.length <= 100)).toBe(true);
    expect(exp.batches.flatMap((b) => b.names)).toEqual(names(0, 1000));
    expect(exp.batches.filter((b) => b.via === 'encoded').length).toBeGreaterThan(10);
    expect(p.stats).toMatchObject({ queued: 0, exported: 1000, failed: 0, dropped: 0 });
  });

  it('delivers spans encoded ahead that the official decoder reads back intact (gzip, joined slices)', async () => {
    receiver.requests.length = 0;
    const e = new OtlpHttpExporter({ url: receiver.url, protocol: 'http/protobuf', headers: {}, compression: 'gzip', timeoutMs: 3000, resource: RESOURCE });
    let encodedExports = 0;
    const exportEncoded = e.exportEncoded.bind(e);
    e.exportEncoded = (body, count, endBy) => {
      encodedExports++;
      return exportEncoded(body, count, endBy);
    };
    const p = new BatchSpanProcessor(e, opts({ maxExportBatchSize: 100 }));
    const sent = Array.from({ length: 1000 }, (_, i) => makeSpan({ name: `s${i}`, attributes: { i } }));
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 64; i++) p.onEnd(sent[round * 100 + i]!);
      await tick();
      for (let i = 64; i < 100; i++) p.onEnd(sent[round * 100 + i]!);
      await tick();
    }
    await p.forceFlush();
    expect(encodedExports).toBeGreaterThan(0);
    const requests = receiver.requests;
    expect(requests.every((r) => r.decodeError === undefined && r.headers['content-encoding'] === 'gzip')).toBe(true);
    const got = requests.map((r) => flattenSpans(r.decoded!));
    expect(got.every((spans) => spans.length <= 100)).toBe(true);
    const all = got.flat();
    expect(all.map((s) => [s.name, s.spanId, s.traceId])).toEqual(sent.map((s) => [s.name, s.spanId, s.traceId]));
    expect(all.map((s) => attributeMap(s.attributes).i)).toEqual(sent.map((_, i) => i));
    expect(all.every((s) => s.startTimeUnixNano === nanosString(1000.25) && attributeMap(s.resource)['service.name'] !== undefined)).toBe(true);
    await p.shutdown();
  });

  it('counts encoded spans against maxQueueSize and in stats.queued', async () => {
    const exp = new SlicingExporter(true);
    const p = new BatchSpanProcessor(exp, opts({ maxQueueSize: 200, maxExportBatchSize: 100 }));
    for (let i = 0; i < 100; i++) p.onEnd(span(i));
    await tick(); // 100 in flight
    for (let i = 100; i < 350; i++) p.onEnd(span(i)); // 200 fit, 50 dropped
    await tick();
    expect(exp.encodes).toBe(5); // the first slice and its 36 records, then three slices of the 200
    expect(p.stats).toMatchObject({ queued: 200, dropped: 50 });
    p.onEnd(span(999));
    expect(p.stats).toMatchObject({ queued: 200, dropped: 51 });
    const flushing = p.forceFlush();
    while (exp.batches.length < 4 || exp.release.length > 0) {
      exp.release.shift()?.();
      await tick();
    }
    await flushing;
    expect(exp.batches.map((b) => [b.via, b.names.length])).toEqual([['encoded', 100], ['encoded', 64], ['encoded', 64], ['encoded', 72]]);
    expect(exp.batches.flatMap((b) => b.names)).toEqual(names(0, 300));
    expect(p.stats).toMatchObject({ queued: 0, exported: 300 });
  });

  it('counts spans whose encoding throws (ahead or at export) as failed, with one diagnostic line, and exports the rest', async () => {
    const lines: string[] = [];
    setLogSink((l) => lines.push(l));
    try {
      const exp = new SlicingExporter(false, (spans) => spans.some((s) => s.name === 's64' || s.name === 's200'));
      const p = new BatchSpanProcessor(exp, opts());
      for (let i = 0; i < 192; i++) expect(() => p.onEnd(span(i))).not.toThrow();
      await tick();
      expect(exp.encodes).toBe(3);
      expect(p.stats).toMatchObject({ queued: 128, failed: 64 });
      for (let i = 192; i < 210; i++) p.onEnd(span(i)); // encoded at export time, and that throws too
      await p.forceFlush();
      expect(exp.batches).toEqual([{ via: 'encoded', names: [...names(0, 64), ...names(128, 192)] }]);
      expect(p.stats).toMatchObject({ queued: 0, exported: 128, failed: 64 + 18 });
      expect(lines.filter((l) => l.includes('spans for export failed: encoder bug'))).toEqual([
        expect.stringContaining('encoding 64 spans for export failed'),
      ]);
    } finally {
      setLogSink((l) => process.stderr.write(l + '\n'));
    }
  });

  it('flushSync hands the in-flight batch, encoded slices and records to exportSync, in order', async () => {
    const exp = new SlicingExporter(true);
    const p = new BatchSpanProcessor(exp, opts({ maxExportBatchSize: 100 }));
    for (let i = 0; i < 100; i++) p.onEnd(span(i));
    await tick(); // 64 encoded + 36 records, in flight
    for (let i = 100; i < 270; i++) p.onEnd(span(i));
    await tick(); // two slices (228 done), 42 records left; the export is still in flight
    expect(p.stats.queued).toBe(170);
    p.flushSync(1000);
    expect(exp.syncBatches.map((b) => [b.via, b.names.length])).toEqual([['encoded', 100], ['encoded', 64], ['encoded', 100], ['records', 6]]);
    expect(exp.syncBatches.flatMap((b) => b.names)).toEqual(names(0, 270));
    expect(exp.syncBatches[0]).toEqual({ via: 'encoded', names: names(0, 100) });
    expect(exp.syncBatches.every((b) => b.names.length <= 100)).toBe(true);
    expect(p.stats).toMatchObject({ queued: 0, exported: 270 });
  });

  it('flushSync through the OTLP blocking path delivers the in-flight, encoded and unencoded spans, decoded intact', async () => {
    const child = await startChildProcessReceiver();
    try {
      const e = new OtlpHttpExporter({ url: child.url, protocol: 'http/protobuf', headers: {}, compression: 'gzip', timeoutMs: 3000, resource: RESOURCE });
      e.exportEncoded = () => new Promise(() => {}); // the export the exit cuts off
      const p = new BatchSpanProcessor(e, opts({ maxExportBatchSize: 100 }));
      const sent = Array.from({ length: 170 }, (_, i) => makeSpan({ name: `s${i}` }));
      for (let i = 0; i < 100; i++) p.onEnd(sent[i]!);
      await tick();
      for (let i = 100; i < 170; i++) p.onEnd(sent[i]!);
      await tick(); // in flight: 100; queued: one slice of 64 and 6 records
      p.flushSync(5000);
      const got: string[][] = [];
      for (let r = 0; r < 2; r++) {
        const seen = await child.nextRequest();
        expect(seen.headers['content-encoding']).toBe('gzip');
        got.push(flattenSpans(decodeProtoRequest(gunzipSync(seen.body))).map((s) => `${s.name}/${s.spanId}`));
      }
      expect(got.map((g) => g.length)).toEqual([100, 70]);
      expect(got.flat()).toEqual(sent.map((s) => `${s.name}/${s.spanId}`));
      expect(p.stats).toMatchObject({ queued: 0, exported: 170 });
    } finally {
      child.close();
    }
  });

  it('keeps the record path for exporters that cannot encode ahead (OTLP/JSON, Zipkin)', async () => {
    const base = { url: receiver.url, headers: {}, compression: 'none' as const, timeoutMs: 3000, resource: RESOURCE };
    expect(new OtlpHttpExporter({ ...base, protocol: 'http/protobuf' }).encodeAhead).toBeTypeOf('function');
    expect(new OtlpHttpExporter({ ...base, protocol: 'grpc', url: 'http://127.0.0.1:4317' }).encodeAhead).toBeTypeOf('function');
    const json = new OtlpHttpExporter({ ...base, protocol: 'http/json' });
    const zipkin = new ZipkinExporter({ url: receiver.url, headers: {}, timeoutMs: 3000, serviceName: 'svc', resource: RESOURCE });
    for (const e of [json, zipkin]) {
      expect(e.encodeAhead).toBeUndefined();
      const calls = { encoded: 0, records: 0 };
      e.exportEncoded = async () => {
        calls.encoded++;
        return { ok: true };
      };
      e.export = async (spans) => {
        calls.records += spans.length;
        return { ok: true };
      };
      const p = new BatchSpanProcessor(e, opts({ maxExportBatchSize: 100 }));
      for (let i = 0; i < 300; i++) p.onEnd(makeSpan());
      await tick();
      await p.forceFlush();
      expect(calls).toEqual({ encoded: 0, records: 300 });
    }
  });
});
