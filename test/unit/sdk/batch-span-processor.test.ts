import { describe, expect, it } from 'vitest';
import { setLogSink } from '../../../src/diag';
import type { ExportResult, SpanExporter, SpanRecord } from '../../../src/export/span-record';
import { BatchSpanProcessor } from '../../../src/sdk/batch-span-processor';

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
