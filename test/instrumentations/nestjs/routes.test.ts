import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { close, createCatsApp, listen, loadNest, NEST_VERSIONS_UNDER_TEST, PLATFORMS, pollSpans, serverSpanFor, setupNest, traceOf, type Any } from './helpers';

const { agent } = setupNest();
const noWork = async (id: string) => `work ${id}`;

describe.each(NEST_VERSIONS_UNDER_TEST.flatMap((v) => PLATFORMS.map((platform) => ({ ...v, platform }))))(
  'Nest $major on $platform: the route names the server span, the controller and the handler have spans',
  ({ tested, major, platform }) => {
    let app: Any;
    let base: string;
    beforeAll(async () => {
      app = await createCatsApp(loadNest(tested, platform), noWork);
      app.setGlobalPrefix('api');
      base = await listen(app);
    });
    afterAll(() => close(app));

    it('GET /api/cats/:id → CatsController.findOne → findOne, answered as Nest answers it', async () => {
      const res = await fetch(`${base}/api/cats/7`);
      expect(res.status).toBe(203);
      expect(res.headers.get('x-cat')).toBe('tabby');
      expect(await res.json()).toEqual({ id: '7', work: 'work 7', intercepted: true });

      const server = await serverSpanFor(agent, base, '/api/cats/7');
      expect(server.name).toBe('GET /api/cats/:id');
      expect(server.attributes['http.route']).toBe('/api/cats/:id');
      expect(server.status.code).toBe(SpanStatusCode.UNSET);

      const spans = await pollSpans(agent, (all) => {
        const trace = all.filter((s) => s.traceId === server.traceId);
        return trace.length >= 3 ? trace : undefined;
      }, 'the Nest spans');
      const context = one(spans, 'CatsController.findOne');
      expect(context.kind).toBe(SpanKind.INTERNAL);
      expect(context.parentSpanId).toBe(server.spanId);
      expect(context.scope.name).toBe('waymark/nestjs');
      expect(context.attributes).toEqual({
        'nestjs.type': 'request_context',
        'nestjs.controller': 'CatsController',
        'nestjs.callback': 'findOne',
        'nestjs.version': expect.stringMatching(new RegExp(`^${major}\\.`)),
        'http.route': '/api/cats/:id',
      });
      const handler = one(spans, 'findOne');
      expect(handler.kind).toBe(SpanKind.INTERNAL);
      expect(handler.parentSpanId).toBe(context.spanId);
      expect(handler.attributes).toMatchObject({ 'nestjs.type': 'handler', 'nestjs.controller': 'CatsController', 'nestjs.callback': 'findOne' });
      // The handler runs after the guard, pipe and interceptor have each awaited a timer.
      expect(handler.startTime).toBeGreaterThan(context.startTime);
      expect(traceOf(agent, server.traceId).every((s) => s.status.code === SpanStatusCode.UNSET)).toBe(true);
    });

    it('a request-scoped controller (its handler made per request): each request gets its spans', async () => {
      for (const id of ['1', '2']) {
        const res = await fetch(`${base}/api/kittens/${id}`);
        expect(await res.json()).toEqual({ kitten: id });
        const server = await serverSpanFor(agent, base, `/api/kittens/${id}`);
        expect(server.name).toBe('GET /api/kittens/:id');
        const spans = await pollSpans(agent, (all) => {
          const trace = all.filter((s) => s.traceId === server.traceId && s.scope.name === 'waymark/nestjs');
          return trace.length >= 2 ? trace : undefined;
        }, 'the Nest spans');
        expect(one(spans, 'KittensController.find').parentSpanId).toBe(server.spanId);
        expect(one(spans, 'find').parentSpanId).toBe(one(spans, 'KittensController.find').spanId);
      }
    });

    it('makes the app-creation span, named after the root module', () => {
      const created = agent
        .finishedSpans()
        .filter((s) => s.name === 'Create Nest App' && String(s.attributes['nestjs.version']).startsWith(`${major}.`));
      expect(created.length).toBeGreaterThan(0);
      expect(created[0]!.parentSpanId).toBeUndefined();
      expect(created[0]!.attributes).toMatchObject({ 'nestjs.type': 'app_creation', 'nestjs.module': 'AppModule' });
    });

    // Under the global prefix, Nest 12 on Express answers unknown paths through a catch-all
    // route of its own (`/api*path`), which Express reports as the route matched.
    it('a path of no route: the server span keeps its bare name and no Nest span is made', async () => {
      const res = await fetch(`${base}/dogs/1`);
      expect(res.status).toBe(404);
      await res.text();
      const server = await serverSpanFor(agent, base, '/dogs/1');
      expect(server.name).toBe('GET');
      expect(traceOf(agent, server.traceId).filter((s) => s.scope.name === 'waymark/nestjs')).toEqual([]);
    });
  },
);

function one(spans: SpanRecord[], name: string): SpanRecord {
  const found = spans.filter((s) => s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0]!;
}
