import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode, spawnNode } from '../../helpers/run-node';
import { testedPackages } from '../../helpers/registry';
import { PREFIX, uniqueQueue } from './majors';

// Producer and worker in two processes under the built agent, exporting to one OTLP
// receiver: the job carries the trace from one to the other. Each major runs both ways:
// a CommonJS producer (--require) to an ESM worker (--import), and the reverse. With
// OTEL_NODE_DISABLED_INSTRUMENTATIONS=bullmq nothing travels and no bullmq span is made.
// The built agent hooks packages by their own name, so the child processes run the major
// installed as `bullmq`; an npm alias (`bullmq5`) is hooked by the in-process harness only,
// which runs the other tests of this folder on every major.
const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;
const DATA = { order: 42, items: [{ sku: 'a-1', qty: 2 }], note: 'ünïcode' };

let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const ROLES = {
  cjs: { preload: ['--require', './register.js'], ext: 'js' },
  esm: { preload: ['--import', './register.mjs'], ext: 'mjs' },
} as const;
const WAYS = [
  { producer: 'cjs', worker: 'esm' },
  { producer: 'esm', worker: 'cjs' },
] as const;
const CASES = testedPackages('bullmq').filter((p) => p.id === p.name).flatMap(({ id }) => WAYS.map((way) => ({ pkg: id, ...way })));

async function run(pkg: string, producer: keyof typeof ROLES, worker: keyof typeof ROLES, extra: Record<string, string> = {}) {
  const queue = uniqueQueue('x');
  const env = (service: string) => ({
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    WM_BULLMQ: pkg,
    WM_QUEUE: queue,
    WM_PREFIX: PREFIX,
    WM_DATA: JSON.stringify(DATA),
    ...extra,
  });
  const consumer = spawnNode([...ROLES[worker].preload, join(FIXTURES, `bullmq-worker.${ROLES[worker].ext}`)], { env: env('worker-service') });
  await consumer.waitForOutput(/READY\n/);
  const produced = await runNode([...ROLES[producer].preload, join(FIXTURES, `bullmq-producer.${ROLES[producer].ext}`)], { env: env('producer-service') });
  expect(produced.stderr).toBe('');
  expect(produced.code).toBe(0);
  const done = await consumer.exited;
  expect(done.stderr).toBe('');
  expect(done.code).toBe(0);
  const seen = JSON.parse(/DONE (.*)\n/.exec(done.stdout)![1]!) as { data: unknown; telemetry: string[] | null };
  return { queue, seen };
}

describe.each(CASES)('$pkg: $producer producer -> $worker worker', ({ pkg, producer, worker }) => {
  it('one trace: producer root -> send -> (Redis) -> process in the other process -> the handler span', async () => {
    const { queue, seen } = await run(pkg, producer, worker);
    expect(seen.data).toStrictEqual(DATA);
    const spans = await receiver.waitForSpans(4);
    const byName = (n: string) => spans.find((s) => s.name === n)!;
    const root = byName('producer-root');
    const send = byName(`send ${queue}`);
    const processing = byName(`process ${queue}`);
    const handler = byName('handle-job');
    expect(send.kind).toBe(KIND_PRODUCER);
    expect(processing.kind).toBe(KIND_CONSUMER);
    for (const s of [send, processing, handler]) expect(s.traceId).toBe(root.traceId);
    expect(send.parentSpanId).toBe(root.spanId);
    expect(processing.parentSpanId).toBe(send.spanId);
    expect(handler.parentSpanId).toBe(processing.spanId);
    const service = (s: { resource: Parameters<typeof attributeMap>[0] }) => attributeMap(s.resource)['service.name'];
    expect(service(send)).toBe('producer-service');
    expect(service(processing)).toBe('worker-service');
    expect(attributeMap(processing.attributes)).toMatchObject({ 'messaging.system': 'bullmq', 'messaging.bullmq.job.name': 'cross', 'messaging.bullmq.job.attempt': 1 });
    // No Redis command of BullMQ's own in either process: the scripts ran suppressed or detached.
    expect(spans.filter((s) => s.scope.name === 'waymark/ioredis').map((s) => s.name)).toEqual([]);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=bullmq: the job is processed as added; only the apps’ own spans', async () => {
    const { seen } = await run(pkg, producer, worker, { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'bullmq' });
    expect(seen).toStrictEqual({ data: DATA, telemetry: null });
    await receiver.waitForSpans(2);
    await new Promise((r) => setTimeout(r, 150));
    const spans = receiver.spans();
    expect(spans.filter((s) => s.scope.name === 'waymark/bullmq')).toEqual([]);
    const root = spans.find((s) => s.name === 'producer-root')!;
    const handler = spans.find((s) => s.name === 'handle-job')!;
    expect(handler.traceId).not.toBe(root.traceId);
  });
});
