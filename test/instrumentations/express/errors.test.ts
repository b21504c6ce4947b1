import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { serverSpanFor } from '../../helpers/spans';
import { EXPRESS_VARIANTS, listen, setupExpress, type ExpressModule } from './helpers';
import type { SpanRecord } from '../../../src/export/span-record';

const { agent, load } = setupExpress();

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
}

function exceptionEvents(span: SpanRecord) {
  return span.events.filter((e) => e.name === 'exception');
}

describe.each(EXPRESS_VARIANTS)('$id (Express $major): errors on the server span', ({ id, major }) => {
  let base: string;
  let close: () => Promise<void>;
  const handled: unknown[] = [];

  beforeAll(async () => {
    const express: ExpressModule = load(id);
    const app = express();
    app.get('/next/:id', (_req: unknown, _res: unknown, next: (e: unknown) => void) => next(new PaymentDeclined('declined')));
    app.get('/throw/:id', () => {
      throw new TypeError('sync boom');
    });
    if (major === 5) {
      // Express 5 forwards rejected promises to next(err).
      app.get('/async/:id', async () => {
        await new Promise((r) => setTimeout(r, 1));
        throw new RangeError('async boom');
      });
    }
    const api = express.Router();
    api.get('/deep/:id', (_req: unknown, _res: unknown, next: (e: unknown) => void) => next(new PaymentDeclined('deep')));
    app.use('/api', api);
    app.get('/client/:id', (_req: unknown, _res: unknown, next: (e: unknown) => void) => {
      next(Object.assign(new Error('nope'), { status: 404 }));
    });
    app.get('/handled/:id', (_req: unknown, _res: unknown, next: (e: unknown) => void) => next(new PaymentDeclined('handled')));
    // Several non-error middlewares after the failure: the error passes each of them.
    app.use((_req: unknown, _res: unknown, next: () => void) => next());
    app.use((_req: unknown, _res: unknown, next: () => void) => next());
    app.use((err: unknown, req: { path: string }, res: any, next: (e: unknown) => void) => {
      if (!req.path.startsWith('/handled/')) return next(err);
      handled.push(err);
      res.status(502).send('handled');
    });
    ({ url: base, close } = await listen(app));
  });
  afterAll(() => close());

  async function get(path: string): Promise<{ status: number; span: SpanRecord }> {
    const res = await fetch(base + path);
    await res.text();
    return { status: res.status, span: await serverSpanFor(agent, base, path) };
  }

  it('records an error passed to next(err) once, with its type', async () => {
    const { status, span } = await get('/next/1');
    expect(status).toBe(500);
    expect(span.name).toBe('GET /next/:id');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('PaymentDeclined');
    const events = exceptionEvents(span);
    expect(events).toHaveLength(1);
    expect(events[0]!.attributes?.['exception.message']).toBe('declined');
  });

  it('records a synchronous throw', async () => {
    const { status, span } = await get('/throw/2');
    expect(status).toBe(500);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(exceptionEvents(span)).toHaveLength(1);
    expect(exceptionEvents(span)[0]!.attributes?.['exception.message']).toBe('sync boom');
  });

  // Express 4 never routes a rejected async handler (no promise support): nothing to record.
  if (major === 5) it('records a rejected async handler (Express 5)', async () => {
    const { status, span } = await get('/async/3');
    expect(status).toBe(500);
    expect(span.name).toBe('GET /async/:id');
    expect(span.attributes['error.type']).toBe('RangeError');
    expect(exceptionEvents(span)).toHaveLength(1);
  });

  it('records an error from a nested router', async () => {
    const { span } = await get('/api/deep/4');
    expect(span.name).toBe('GET /api/deep/:id');
    expect(span.attributes['error.type']).toBe('PaymentDeclined');
    expect(exceptionEvents(span)).toHaveLength(1);
  });

  it('records an error an error middleware handles, once', async () => {
    const { status, span } = await get('/handled/5');
    expect(status).toBe(502);
    expect(handled).toHaveLength(1);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('PaymentDeclined');
    expect(exceptionEvents(span)).toHaveLength(1);
  });

  it('keeps a 4xx error as an event, without ERROR status', async () => {
    const { status, span } = await get('/client/6');
    expect(status).toBe(404);
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBeUndefined();
    expect(exceptionEvents(span)).toHaveLength(1);
  });
});
