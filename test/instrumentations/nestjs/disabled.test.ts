import { describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument/wrap';
import { close, createCatsApp, listen, loadNest, NEST_VERSIONS_UNDER_TEST, PLATFORMS, serverSpanFor, setupNest, traceOf } from './helpers';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=nestjs: Nest behaves as without the agent, and its
// requests get what Express or Fastify alone give. The positive control (the same app with
// the Nest spans and the error recorded) is routes.test.ts and errors.test.ts.
const { agent, hooks } = setupNest({ disabled: ['nestjs'] });

describe.each(NEST_VERSIONS_UNDER_TEST.flatMap((v) => PLATFORMS.map((platform) => ({ ...v, platform }))))(
  'nestjs disabled: Nest $major on $platform',
  ({ tested, platform }) => {
    it('patches nothing; the platform still names the route, and no Nest span or exception appears', async () => {
      expect(hooks.instrumentations).not.toContain('nestjs');
      expect(hooks.instrumentations).toContain(platform);
      const nest = loadNest(tested, platform);
      expect(isWrapped(nest.core.NestApplication.prototype.init)).toBe(false);
      expect(isWrapped(Object.getPrototypeOf(nest.core.NestFactory).create)).toBe(false);
      const app = await createCatsApp(nest, async (id) => `work ${id}`);
      const base = await listen(app);
      try {
        const res = await fetch(`${base}/cats/3`);
        expect(res.status).toBe(203);
        expect(await res.json()).toEqual({ id: '3', work: 'work 3', intercepted: true });
        const span = await serverSpanFor(agent, base, '/cats/3');
        expect(span.name).toBe('GET /cats/:id');
        // The test's own fetch is in the trace too: only the client and the server span.
        expect(traceOf(agent, span.traceId).map((s) => s.scope.name).sort()).toEqual(['waymark/fetch', 'waymark/http']);

        const boom = await fetch(`${base}/errors/boom`);
        expect(boom.status).toBe(500);
        await boom.text();
        const failed = await serverSpanFor(agent, base, '/errors/boom');
        // The status code alone: the error never reached Express or Fastify.
        expect(failed.status.code).toBe(SpanStatusCode.ERROR);
        expect(failed.attributes['error.type']).toBe('500');
        expect(failed.events).toHaveLength(0);
      } finally {
        await close(app);
      }
      expect(agent.finishedSpans().filter((s) => s.scope.name === 'waymark/nestjs')).toEqual([]);
    });
  },
);
