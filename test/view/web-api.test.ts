import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type Viewer } from '../../src/view/viewer';
import { failingRequest, slowRequest } from './fixtures';
import { encodedRequest, requestFromSpans } from './otlp-payloads';

const SLOW = '4bf92f3577b34da6a3ce929d0e0e4736';
const FAILING = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

let uiDir: string;
let viewer: Viewer | undefined;
beforeAll(() => {
  uiDir = mkdtempSync(path.join(tmpdir(), 'waymark-ui-'));
  writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>waymark</title>');
  writeFileSync(path.join(uiDir, 'app.js'), '/* app */');
});
afterAll(() => rmSync(uiDir, { recursive: true, force: true }));
afterEach(async () => {
  await viewer?.close();
  viewer = undefined;
});

async function start(extra: Parameters<typeof startViewer>[0] = {}): Promise<{ printed: string[]; warnings: string[] }> {
  const printed: string[] = [];
  const warnings: string[] = [];
  viewer = await startViewer({ port: 0, ui: { port: 0, uiDir }, assembler: { quietMs: 30 }, write: (t) => printed.push(t), warn: (w) => warnings.push(w), ...extra });
  return { printed, warnings };
}

async function send(spans = [...slowRequest(), ...failingRequest()]): Promise<void> {
  const res = await fetch(viewer!.url, { method: 'POST', body: encodedRequest(requestFromSpans(spans)), headers: { 'content-type': 'application/x-protobuf' } });
  expect(res.status).toBe(200);
}

async function api(pathAndQuery: string): Promise<{ status: number; body: any }> {
  const res = await fetch(viewer!.ui!.url + pathAndQuery);
  return { status: res.status, body: await res.json() };
}

describe('the web UI server and its JSON API', () => {
  it('searches received traces at once (before they complete), as the page and scripts do', async () => {
    await start({ assembler: { quietMs: 60_000 } });
    await send();
    const all = await api('/api/traces');
    expect(all.status).toBe(200);
    expect(all.body.data.map((t: { traceId: string }) => t.traceId).sort()).toEqual([SLOW, FAILING]);
    expect(all.body).toMatchObject({ total: 2, limit: 20 });
    const slow = await api('/api/traces?service=users&minDuration=1s');
    expect(slow.body.data.map((t: { traceId: string }) => t.traceId)).toEqual([SLOW]);
    const errors = await api('/api/traces?tags=error%3Dtrue');
    expect(errors.body.data).toHaveLength(1);
    expect(errors.body.data[0]).toMatchObject({ traceId: FAILING, errorCount: 3, rootName: 'GET /api/users/:id' });
  });

  it('answers one trace with its spans; 404 for one not held, 400 for a malformed id or search', async () => {
    await start();
    await send();
    const one = await api(`/api/traces/${SLOW}`);
    expect(one.body.data.traceId).toBe(SLOW);
    expect(one.body.data.spans).toHaveLength(10);
    expect(one.body.data.spans.find((s: { name: string }) => s.name === 'SELECT users')).toMatchObject({ service: 'users', kind: 3 });
    const table = (await api(`/api/traces/${SLOW}?resources=table`)).body.data;
    expect(table.resources.map((r: { 'service.name': string }) => r['service.name']).sort()).toEqual(['auth', 'gateway', 'users']);
    expect(table.spans).toHaveLength(10);
    const select = table.spans.find((s: { name: string }) => s.name === 'SELECT users');
    expect(select.traceId).toBeUndefined();
    expect(table.resources[select.resource]).toEqual(one.body.data.spans.find((s: { name: string }) => s.name === 'SELECT users').resource);
    expect((await api(`/api/traces/${SLOW}/summary`)).body.data).toMatchObject({ traceId: SLOW, spanCount: 10, rootName: 'GET /api/users/:id' });
    expect((await api(`/api/traces/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await api('/api/traces/nope')).status).toBe(400);
    const bad = await api('/api/traces?minDuration=soon');
    expect(bad).toEqual({ status: 400, body: { error: 'minDuration must be a duration such as 1s or 250ms, got "soon"' } });
    expect((await api('/api/nothing')).status).toBe(404);
  });

  it('lists services and operations, the service map and the store counters', async () => {
    await start();
    await send();
    const services = await api('/api/services');
    expect(services.body.data.map((s: { name: string }) => s.name)).toEqual(['auth', 'gateway', 'users']);
    expect((await api('/api/services/auth/operations')).body.data).toEqual(['POST /validate']);
    const map = await api('/api/dependencies');
    expect(map.body.data.calls).toContainEqual({ from: 'gateway', to: 'users', count: 2, errorCount: 1, errorRate: 0.5, p50Ns: 29e6, p99Ns: 1504e6 });
    const stats = await api('/api/stats');
    expect(stats.body.data).toMatchObject({ traces: 2, spans: 14, evictedTraces: 0, maxSpans: 1_000_000 });
  });

  it('serves the page at /, /search, /map and /trace/<id> (Jaeger URL shape), with a strict content security policy', async () => {
    await start();
    for (const p of ['/', '/search', '/map', `/trace/${SLOW}`]) {
      const res = await fetch(viewer!.ui!.url + p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toContain('<title>waymark</title>');
    }
    expect((await fetch(viewer!.ui!.url + '/assets/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(viewer!.ui!.url + '/build/src/view/cli.js')).status).toBe(404);
    expect((await fetch(viewer!.ui!.url + '/api/traces', { method: 'POST' })).status).toBe(405);
  });

  it('refuses requests naming another host (DNS rebinding) while bound to loopback', async () => {
    await start();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: viewer!.ui!.port, path: '/api/traces', headers: { host: 'evil.example:16686' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect((await fetch(`http://localhost:${viewer!.ui!.port}/api/stats`)).status).toBe(200);
  });

  it('takes the next free port when the one asked for is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      await start({ ui: { port: taken, uiDir } });
      expect(viewer!.ui!.port).toBeGreaterThan(taken);
      expect(viewer!.ui!.url).toBe(`http://127.0.0.1:${viewer!.ui!.port}`);
    } finally {
      blocker.close();
    }
  });

  it('prints each trace tree with its link in the UI', async () => {
    const { printed } = await start();
    await send(slowRequest());
    for (let i = 0; i < 100 && printed.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(printed[0]).toContain(`Open in the web UI: ${viewer!.ui!.url}/trace/${SLOW}\n`);
  });

  it('keeps at most --max-spans spans, evicting the oldest traces, and says so', async () => {
    const { warnings } = await start({ maxSpans: 12 });
    await send(slowRequest());
    await send(failingRequest());
    for (let i = 0; i < 100 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(viewer!.store.stats).toMatchObject({ traces: 1, spans: 4, evictedTraces: 1, evictedSpans: 10 });
    expect(warnings).toEqual(['waymark view: holding at most 12 spans (--max-spans): evicted the 1 oldest traces (10 spans) since the last report, 1 in all']);
    expect((await api(`/api/traces/${SLOW}`)).status).toBe(404);
  });
});
