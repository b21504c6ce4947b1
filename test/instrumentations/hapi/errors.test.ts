import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { HAPI_VERSIONS_UNDER_TEST, nodeRequireBoom, serverSpanFor, setupHapi, startHapi, type Any } from './helpers';

const { agent, load } = setupHapi();
const Boom = nodeRequireBoom();

class QuotaExceeded extends Error {
  override name = 'QuotaExceeded';
}

const exceptions = (span: SpanRecord) => span.events.filter((e) => e.name === 'exception');

describe.each(HAPI_VERSIONS_UNDER_TEST)('$hapi ($version): handler errors on the server span', ({ hapi }) => {
  let base: string;
  let server: Any;
  const logged: unknown[] = [];

  beforeAll(async () => {
    ({ base, server } = await startHapi(load(hapi), async (s) => {
      s.events.on({ name: 'request', channels: 'error' }, (_req: Any, event: Any) => logged.push(event.error));
      s.route({ method: 'GET', path: '/sync/{id}', handler: () => {
        throw new TypeError('sync boom');
      } });
      s.route({ method: 'GET', path: '/async/{id}', handler: async () => {
        await new Promise((r) => setTimeout(r, 1));
        throw new QuotaExceeded('async boom');
      } });
      s.route({ method: 'GET', path: '/unavailable/{id}', handler: () => {
        throw Boom.serverUnavailable('down');
      } });
      s.route({ method: 'GET', path: '/missing/{id}', handler: () => {
        throw Boom.notFound('no such item');
      } });
      s.route({ method: 'GET', path: '/forbidden/{id}', handler: () => Boom.forbidden('not yours') });
      // An onPreResponse extension that turns one route's error into a normal answer.
      s.route({ method: 'GET', path: '/masked/{id}', handler: () => {
        throw new QuotaExceeded('masked');
      } });
      s.ext('onPreResponse', (req: Any, h: Any) => (req.path.startsWith('/masked') ? h.response({ retry: true }).code(503) : h.continue));
    }));
  });
  afterAll(() => server.stop());

  async function get(path: string): Promise<{ status: number; body: Any; span: SpanRecord }> {
    const res = await fetch(base + path);
    const body = await res.json();
    return { status: res.status, body, span: await serverSpanFor(agent, base, path) };
  }

  it.each([
    ['/sync/1', 'GET /sync/{id}', 500, 'TypeError', 'sync boom'],
    ['/async/2', 'GET /async/{id}', 500, 'QuotaExceeded', 'async boom'],
    ['/unavailable/3', 'GET /unavailable/{id}', 503, 'Error', 'down'],
  ])('%s: Hapi answers as always, the span is ERROR with one exception event', async (path, name, status, type, message) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(r.body.statusCode).toBe(status);
    expect(r.span.name).toBe(name);
    expect(r.span.status.code).toBe(SpanStatusCode.ERROR);
    expect(r.span.attributes['error.type']).toBe(type);
    expect(exceptions(r.span)).toHaveLength(1);
    expect(exceptions(r.span)[0]!.attributes?.['exception.message']).toBe(message);
  });

  it("Hapi's own error log still gets the very error thrown", async () => {
    await get('/sync/9');
    expect(logged.some((e) => e instanceof TypeError && e.message === 'sync boom')).toBe(true);
  });

  it.each([
    ['/missing/4', 404],
    ['/forbidden/5', 403],
  ])('%s: a %i Boom is an exception event, not an error', async (path, code) => {
    const r = await get(path);
    expect(r.status).toBe(code);
    expect(r.span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(r.span.attributes['error.type']).toBeUndefined();
    expect(exceptions(r.span)).toHaveLength(1);
  });

  it('an error an onPreResponse extension answers is recorded; the answer is the extension’s', async () => {
    const r = await get('/masked/6');
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ retry: true });
    expect(r.span.status.code).toBe(SpanStatusCode.ERROR);
    expect(r.span.attributes['error.type']).toBe('QuotaExceeded');
    expect(exceptions(r.span)).toHaveLength(1);
  });
});
