import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../helpers/spawn-app';

/*
 * The W3C test harness's shape without the harness: test/w3c/service.js runs under the
 * agent, the test sends it a request with trace headers and a callback URL, and reads the
 * headers the service's outbound call carried. Server extract and client inject are the
 * agent's own (node:http both ways). Cases from W3C Trace Context Level 2.
 */

const T = '12345678901234567890123456789012';
const P = '1234567890123456';
let app: RunningApp;
let callbacks: Server;
let received: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  callbacks = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => res.end('null'));
  });
  await new Promise<void>((r) => callbacks.listen(0, '127.0.0.1', r));
  app = await startApp('test/w3c/service.js', { OTEL_TRACES_EXPORTER: 'none' });
});

afterAll(async () => {
  await app?.stop();
  await new Promise((r) => callbacks?.close(r));
});

/** Sends `headers` to the service, which calls back once; the callback's headers. */
async function roundTrip(headers: Record<string, string | string[]>): Promise<IncomingHttpHeaders> {
  received = [];
  const url = `http://127.0.0.1:${(callbacks.address() as AddressInfo).port}/callback`;
  const body = JSON.stringify([{ url, arguments: [] }]);
  await new Promise<void>((resolve, reject) => {
    const req = request(
      `http://127.0.0.1:${app.port}/test`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  expect(received).toHaveLength(1);
  return received[0]!;
}

const parts = (traceparent: unknown) => String(traceparent).split('-');

describe('W3C Trace Context Level 2 through a service under the agent', () => {
  it('a trace started here carries the random flag (sampled: 03)', async () => {
    const [version, traceId, , flags] = parts((await roundTrip({})).traceparent);
    expect([version, flags]).toEqual(['00', '03']);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('the random flag of an incoming traceparent is kept, on a new parent id', async () => {
    const [, traceId, parentId, flags] = parts((await roundTrip({ traceparent: `00-${T}-${P}-02` })).traceparent);
    expect([traceId, flags]).toEqual([T, '02']);
    expect(parentId).not.toBe(P);
  });

  it('a trace that came without the random flag is not given it', async () => {
    expect(parts((await roundTrip({ traceparent: `00-${T}-${P}-01` })).traceparent)[3]).toBe('01');
  });

  it('duplicate tracestate keys keep the list (one of the duplicates dropped)', async () => {
    const tp = `00-${T}-${P}-00`;
    expect((await roundTrip({ traceparent: tp, tracestate: 'foo=1,foo=2,bar=3' })).tracestate).toBe('foo=1,bar=3');
    expect((await roundTrip({ traceparent: tp, tracestate: ['foo=1', 'foo=2'] })).tracestate).toBe('foo=1');
  });

  it('Level 2 keys with "@" pass; a key starting with "@" discards the header', async () => {
    const tp = `00-${T}-${P}-00`;
    expect((await roundTrip({ traceparent: tp, tracestate: 'foo@=1,foo@@bar=2,bar=3' })).tracestate).toBe('foo@=1,foo@@bar=2,bar=3');
    const key = `${'t'.repeat(242)}@v`;
    expect((await roundTrip({ traceparent: tp, tracestate: ['foo=1', `${key}=1`] })).tracestate).toBe(`foo=1,${key}=1`);
    expect((await roundTrip({ traceparent: tp, tracestate: '@foo=1,bar=2' })).tracestate).toBeUndefined();
    expect((await roundTrip({ traceparent: tp, tracestate: ['foo=1', `${'z'.repeat(257)}=1`] })).tracestate).toBeUndefined();
  });

  it('the tracestate sent on stays within 512 characters, trimmed by whole members from the end', async () => {
    const members = Array.from({ length: 32 }, (_, i) => `k${String(i).padStart(2, '0')}=${'v'.repeat(16)}`);
    const sent = (await roundTrip({ traceparent: `00-${T}-${P}-01`, tracestate: members.join(',') })).tracestate;
    // 32 members of 20 chars: 671 with commas; 24 of them make 503.
    expect(sent).toBe(members.slice(0, 24).join(','));
  });
});
