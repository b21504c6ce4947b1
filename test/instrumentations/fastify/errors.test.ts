import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { serverSpanFor } from '../../helpers/spans';
import { FASTIFY_VERSIONS_UNDER_TEST, listen, setupFastify, type FastifyApp } from './helpers';
import type { SpanRecord } from '../../../src/export/span-record';

const { agent, load } = setupFastify();

class QuotaExceeded extends Error {
  override name = 'QuotaExceeded';
}

const exceptions = (span: SpanRecord) => span.events.filter((e) => e.name === 'exception');

describe.each(FASTIFY_VERSIONS_UNDER_TEST)('$id (Fastify $major): errors on the server span', ({ id }) => {
  let app: FastifyApp;
  let base: string;

  beforeAll(async () => {
    app = load(id)({ logger: false });
    app.get('/sync/:id', () => {
      throw new TypeError('sync boom');
    });
    app.get('/async/:id', async () => {
      await new Promise((r) => setTimeout(r, 1));
      throw new QuotaExceeded('async boom');
    });
    app.get('/send/:id', (_req: unknown, reply: any) => {
      reply.send(new RangeError('sent'));
    });
    app.get('/hook/:id', { preHandler: async () => Promise.reject(new QuotaExceeded('in hook')) }, async () => 'never');
    app.get('/client/:id', async () => {
      throw Object.assign(new Error('missing'), { statusCode: 404 });
    });
    app.get('/validated/:id', { schema: { params: { type: 'object', properties: { id: { type: 'integer' } } } } }, async () => 'ok');
    // A custom error handler that turns the error into a normal reply: still recorded.
    await app.register(async (custom: FastifyApp) => {
      custom.setErrorHandler((_err: Error, _req: unknown, reply: any) => {
        reply.code(503).send({ retry: true });
      });
      custom.get('/custom/:id', async () => {
        throw new QuotaExceeded('custom');
      });
    });
    base = await listen(app);
  });
  afterAll(() => app.close());

  async function get(path: string): Promise<{ status: number; span: SpanRecord }> {
    const res = await fetch(base + path);
    await res.text();
    return { status: res.status, span: await serverSpanFor(agent, base, path) };
  }

  it.each([
    ['/sync/1', 'GET /sync/:id', 'TypeError', 'sync boom'],
    ['/async/2', 'GET /async/:id', 'QuotaExceeded', 'async boom'],
    ['/send/3', 'GET /send/:id', 'RangeError', 'sent'],
    ['/hook/4', 'GET /hook/:id', 'QuotaExceeded', 'in hook'],
  ])('%s: status ERROR, one exception event, error.type', async (path, name, type, message) => {
    const { status, span } = await get(path);
    expect(status).toBe(500);
    expect(span.name).toBe(name);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe(type);
    expect(exceptions(span)).toHaveLength(1);
    expect(exceptions(span)[0]!.attributes?.['exception.message']).toBe(message);
  });

  it('records an error a custom error handler answers', async () => {
    const { status, span } = await get('/custom/5');
    expect(status).toBe(503);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('QuotaExceeded');
    expect(exceptions(span)).toHaveLength(1);
  });

  it.each([
    ['/client/6', 404],
    ['/validated/not-a-number', 400],
  ])('%s: a 4xx error is an event, without ERROR status', async (path, code) => {
    const { status, span } = await get(path);
    expect(status).toBe(code);
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBeUndefined();
    expect(exceptions(span)).toHaveLength(1);
  });
});
