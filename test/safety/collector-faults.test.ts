import { afterEach, describe, expect, it } from 'vitest';
import { flattenSpans, startOtlpReceiver, type OtlpReceiver, type Responder } from '../helpers/otlp-receiver';
import { startApp, type RunningApp } from '../helpers/spawn-app';

// The collector is down, slow or refusing: the app must answer exactly as without the
// agent, memory must stay bounded, drops are reported once per interval, and when the
// collector recovers new spans arrive.
const FIXTURE = 'test/fixtures/burst-server.js';
const PATHS = ['/hello', '/hello?name=ada', '/missing'];
const FAST = { OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_EXPORTER_OTLP_TIMEOUT: '500', OTEL_BSP_EXPORT_TIMEOUT: '1000' };

let apps: RunningApp[] = [];
let receivers: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  await Promise.all(receivers.map((r) => r.close()));
  apps = [];
  receivers = [];
});

async function answers(app: RunningApp) {
  const out = [];
  for (const p of PATHS) {
    const r = await app.get(p);
    out.push({ status: r.status, body: r.body, type: r.headers['content-type'] });
  }
  return out;
}

async function receiverWith(responder: Responder): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver({ responder });
  receivers.push(r);
  return r;
}

const faults: Array<[string, () => Promise<string>]> = [
  ['closed port', async () => 'http://127.0.0.1:1/v1/traces'],
  ['hanging collector', async () => (await receiverWith(() => 'hang')).url],
  ['503 with Retry-After', async () => (await receiverWith(() => ({ status: 503, headers: { 'retry-after': '1' } }))).url],
  ['400 Bad Request', async () => (await receiverWith(() => ({ status: 400 }))).url],
  ['connection reset', async () => (await receiverWith(() => 'reset')).url],
];

describe('collector faults', () => {
  it.each(faults)('%s: the app answers exactly as it does without the agent', async (_name, endpoint) => {
    const url = await endpoint();
    const baseline = await startApp(FIXTURE, {}, { agent: false });
    apps.push(baseline);
    const traced = await startApp(FIXTURE, { ...FAST, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url });
    apps.push(traced);
    const expected = await answers(baseline);
    for (let round = 0; round < 3; round++) {
      expect(await answers(traced)).toEqual(expected);
      await traced.get('/burst?n=600');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await answers(traced)).toEqual(expected);
    // The agent may say what went wrong, in a few lines, never a stack trace per span.
    const lines = traced.stderr().split('\n').filter(Boolean);
    expect(lines.length).toBeLessThanOrEqual(6);
    for (const l of lines) expect(l).toMatch(/^\[waymark\]/);
  });

  it('memory stays bounded across 100k spans while the collector hangs, drops are reported once per interval', async () => {
    const hanging = await receiverWith(() => 'hang');
    const app = await startApp(FIXTURE, { ...FAST, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: hanging.url }, { nodeArgs: ['--expose-gc'] });
    apps.push(app);
    await app.get('/burst?n=5000');
    const before = JSON.parse((await app.get('/memory')).body);
    for (let i = 0; i < 20; i++) await app.get('/burst?n=5000');
    const after = JSON.parse((await app.get('/memory')).body);
    // Bound: the queue holds at most OTEL_BSP_MAX_QUEUE_SIZE (2048) spans plus one batch in
    // flight (512); everything else is dropped. 100k retained spans would be > 50 MB.
    expect((after.heapUsed - before.heapUsed) / 1e6).toBeLessThan(8);
    const drops = app.stderr().split('\n').filter((l) => l.includes('dropped'));
    expect(drops.length).toBeLessThanOrEqual(2);
  });

  it('when the collector comes back, new spans arrive', async () => {
    let down = true;
    const receiver = await receiverWith(() => (down ? { status: 503 } : undefined));
    const app = await startApp(FIXTURE, { ...FAST, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    apps.push(app);
    await app.get('/burst?n=100');
    await new Promise((r) => setTimeout(r, 700));
    expect(receiver.requests.length).toBeGreaterThan(0); // it tried, and was refused
    down = false;
    const refused = receiver.requests.length;
    await app.get('/burst?n=100');
    const accepted = () =>
      receiver.requests.slice(refused).flatMap((r) => (r.decoded ? flattenSpans(r.decoded) : [])).filter((s) => s.name === 'burst-span');
    const until = Date.now() + 5000;
    while (accepted().length < 100 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(accepted().length).toBeGreaterThanOrEqual(100);
  });
});
