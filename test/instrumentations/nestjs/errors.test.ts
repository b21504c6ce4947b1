import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { close, createCatsApp, listen, loadNest, NEST_VERSIONS_UNDER_TEST, PLATFORMS, pollSpans, serverSpanFor, setupNest, type Any } from './helpers';

// Nest's exception filter answers what a handler throws, so neither Express nor Fastify sees
// the error: it is recorded from the route's handler. A 4xx HttpException is the client's
// fault (an exception event, the status left unset); anything else is a 500 and an ERROR.
const { agent } = setupNest();

const exceptions = (span: SpanRecord) => span.events.filter((e) => e.name === 'exception');

describe.each(NEST_VERSIONS_UNDER_TEST.flatMap((v) => PLATFORMS.map((platform) => ({ ...v, platform }))))(
  'Nest $major on $platform: exceptions thrown by a handler',
  ({ tested, platform }) => {
    let app: Any;
    let base: string;
    beforeAll(async () => {
      app = await createCatsApp(loadNest(tested, platform), async (id) => id);
      base = await listen(app);
    });
    afterAll(() => close(app));

    async function nestSpans(server: SpanRecord, n: number): Promise<SpanRecord[]> {
      return pollSpans(agent, (all) => {
        const spans = all.filter((s) => s.traceId === server.traceId && s.scope.name === 'waymark/nestjs');
        return spans.length >= n ? spans : undefined;
      }, 'the Nest spans');
    }

    it('NotFoundException: Nest’s 404 answer, an exception event, no error status anywhere', async () => {
      const res = await fetch(`${base}/errors/missing/3`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'no cat 3', error: 'Not Found', statusCode: 404 });

      const server = await serverSpanFor(agent, base, '/errors/missing/3');
      expect(server.name).toBe('GET /errors/missing/:id');
      expect(server.status.code).toBe(SpanStatusCode.UNSET);
      expect(server.attributes['error.type']).toBeUndefined();
      expect(server.attributes['http.response.status_code']).toBe(404);
      expect(exceptions(server).map((e) => [e.attributes?.['exception.type'], e.attributes?.['exception.message']])).toEqual([
        ['NotFoundException', 'no cat 3'],
      ]);
      const spans = await nestSpans(server, 2);
      expect(spans.map((s) => s.name).sort()).toEqual(['ErrorsController.missing', 'missing']);
      for (const span of spans) {
        expect(span.status.code).toBe(SpanStatusCode.UNSET);
        expect(exceptions(span)).toHaveLength(1);
      }
    });

    it('an unexpected Error: Nest’s 500 answer unchanged, ERROR with error.type and one exception event', async () => {
      const res = await fetch(`${base}/errors/boom`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ statusCode: 500, message: 'Internal server error' });

      const server = await serverSpanFor(agent, base, '/errors/boom');
      expect(server.name).toBe('GET /errors/boom');
      expect(server.status).toEqual({ code: SpanStatusCode.ERROR, message: 'cat exploded' });
      expect(server.attributes['error.type']).toBe('Error');
      expect(server.attributes['http.response.status_code']).toBe(500);
      expect(exceptions(server).map((e) => e.attributes?.['exception.message'])).toEqual(['cat exploded']);
      const spans = await nestSpans(server, 2);
      const context = spans.find((s) => s.name === 'ErrorsController.boom');
      expect(context?.parentSpanId).toBe(server.spanId);
      for (const span of spans) {
        expect(span.status.code).toBe(SpanStatusCode.ERROR);
        expect(span.attributes['error.type']).toBe('Error');
        expect(exceptions(span)).toHaveLength(1);
      }
    });
  },
);
