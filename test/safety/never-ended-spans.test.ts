import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config';
import { BatchSpanProcessor } from '../../src/sdk/batch-span-processor';
import { createSampler } from '../../src/sdk/sampler';
import { Tracer } from '../../src/sdk/tracer';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
}

describe('never-ended spans', () => {
  it('do not pin memory: the agent keeps no reference to a span until it ends', () => {
    const config = readConfig({});
    const processor = new BatchSpanProcessor({ export: async () => ({ ok: true }), shutdown: async () => {} }, config.bsp);
    const tracer = new Tracer({ name: 'leak-test' }, { sample: createSampler('always_on', 1), limits: config.limits, sink: processor });
    const before = heapMb();
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 10_000; i++) {
        const parent = tracer.startSpan('forgotten-parent', { attributes: { 'big.value': 'x'.repeat(200) + i } }, ROOT_CONTEXT);
        tracer.startSpan('forgotten-child', {}, trace.setSpan(ROOT_CONTEXT, parent)).setAttribute('i', i);
      }
    }
    const after = heapMb();
    // 100k spans with ~200-byte attributes would hold >30 MB if anything kept them.
    expect(after - before).toBeLessThan(5);
    expect(processor.stats.queued).toBe(0);
  });
});
