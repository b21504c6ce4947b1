import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startViewer, type Viewer, type ViewerOptions } from '../../src/view/viewer';
import type { TraceTree } from '../../src/view/trace-tree';
import { slowRequest } from './fixtures';
import { encodedRequest, requestFromSpans } from './otlp-payloads';

let viewer: Viewer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await viewer?.close();
  viewer = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(extra: ViewerOptions = {}): Promise<{ printed: string[]; traces: TraceTree[]; warnings: string[] }> {
  const printed: string[] = [];
  const traces: TraceTree[] = [];
  const warnings: string[] = [];
  viewer = await startViewer({
    port: 0,
    assembler: { quietMs: 50 },
    write: (t) => printed.push(t),
    onTrace: (t) => traces.push(t),
    warn: (w) => warnings.push(w),
    ...extra,
  });
  return { printed, traces, warnings };
}

function post(body: Uint8Array | string, headers: Record<string, string>, url = viewer!.url): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers });
}

async function until<T>(fn: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('startViewer', () => {
  it('answers protobuf with 200 and an empty ExportTraceServiceResponse, and prints the trace once complete', async () => {
    const { printed, traces } = await start();
    expect(viewer!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/traces$/);
    const spans = slowRequest();
    // The services export before the gateway: the trace waits for its root.
    const early = await post(encodedRequest(requestFromSpans(spans.slice(1))), PROTO);
    expect(early.status).toBe(200);
    expect(early.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await early.arrayBuffer()).byteLength).toBe(0);
    await new Promise((r) => setTimeout(r, 150));
    expect(printed).toEqual([]);
    await post(encodedRequest(requestFromSpans(spans.slice(0, 1))), PROTO);
    await until(() => (printed.length ? true : undefined));
    expect(traces[0]!.spanCount).toBe(spans.length);
    expect(printed[0]).toContain('SELECT users  ← BOTTLENECK 1.49 s self');
    expect(printed[0]!.startsWith('Trace 4bf92f3577b34da6a3ce929d0e0e4736 · 1.53 s · 10 spans')).toBe(true);
    expect(viewer!.stats).toMatchObject({ requests: 2, rejected: 0, spans: 10, traces: 1 });
  });

  it('takes gzipped OTLP/JSON with hex ids and answers {}', async () => {
    const { traces } = await start();
    const json = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'auth' } }] },
          scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'POST /validate', kind: 2, startTimeUnixNano: '1', endTimeUnixNano: '8000001' }] }],
        },
      ],
    });
    const res = await post(gzipSync(json), { ...JSON_TYPE, 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('{}');
    const [tree] = await until(() => (traces.length ? traces : undefined));
    expect(tree!.services).toEqual(['auth']);
  });

  it('writes every received span to the --out file as one JSON line', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'waymark-view-'));
    const out = path.join(dir, 'spans.jsonl');
    await start({ out });
    await post(encodedRequest(requestFromSpans(slowRequest())), PROTO);
    await viewer!.close();
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    const select = slowRequest().find((s) => s.name === 'SELECT users')!;
    const line = JSON.parse(lines.find((l) => l.includes('SELECT users'))!);
    expect(line).toMatchObject({ service: 'users', spanId: select.spanId, parentSpanId: select.parentSpanId, startTimeUnixNano: select.startTimeUnixNano });
  });

  it.each([
    ['garbage protobuf', () => post(Buffer.from([0x0a, 0xff, 0xff]), PROTO), 400],
    ['malformed JSON', () => post('{"resourceSpans": [', JSON_TYPE), 400],
    ['a bad gzip body', () => post(Buffer.from('not gzip'), { ...PROTO, 'content-encoding': 'gzip' }), 400],
    ['an unknown encoding', () => post(Buffer.from(''), { ...PROTO, 'content-encoding': 'br' }), 415],
    ['another path', () => post('{}', JSON_TYPE, viewer!.url.replace('/v1/traces', '/v1/metrics')), 404],
    ['a GET', () => fetch(viewer!.url), 405],
  ])('refuses %s with its status and keeps serving', async (_what, send, status) => {
    await start();
    const res = await send();
    expect(res.status).toBe(status);
    await res.arrayBuffer();
    const ok = await post(encodedRequest(requestFromSpans(slowRequest())), PROTO);
    expect(ok.status).toBe(200);
  });

  it('answers a rejected protobuf body with a google.rpc.Status naming the problem', async () => {
    await start();
    const res = await post(Buffer.from([0x0a, 0xff, 0xff]), PROTO);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body[0]).toBe(0x08); // Status.code
    expect(body[1]).toBe(3); // INVALID_ARGUMENT
    expect(body.subarray(4).toString()).toContain('truncated');
  });

  it('refuses bodies over the size limit with 413, before and after decompression', async () => {
    await start({ maxBodyBytes: 1000 });
    expect((await post(Buffer.alloc(2000), PROTO)).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(100_000));
    expect(bomb.length).toBeLessThan(1000);
    expect((await post(bomb, { ...PROTO, 'content-encoding': 'gzip' })).status).toBe(413);
  });

  it('prints traces still held when it closes, root or not', async () => {
    const { printed } = await start({ assembler: { quietMs: 60_000 } });
    await post(encodedRequest(requestFromSpans(slowRequest().slice(1))), PROTO);
    expect(printed).toEqual([]);
    await viewer!.close();
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('root span not received');
  });

  it('explains a port already in use', async () => {
    await start();
    await expect(startViewer({ port: viewer!.port, write: false })).rejects.toThrow(/already in use.*--port/);
  });
});
