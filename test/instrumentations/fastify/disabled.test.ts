import { hasSubscribers } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { serverSpanFor } from '../../helpers/spans';
import { FASTIFY_VERSIONS_UNDER_TEST, listen, setupFastify } from './helpers';
import { INIT_CHANNEL } from '../../../instrumentations/fastify';
import { runFixture } from '../../helpers/run-node';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=fastify: Fastify must behave exactly as without the agent.
const { agent, hooks, load } = setupFastify({ disabled: ['fastify'] });

describe('fastify disabled, in process', () => {
  it('is not selected and does not listen for instances', () => {
    expect(hooks.instrumentations).not.toContain('fastify');
    expect(hasSubscribers(INIT_CHANNEL)).toBe(false);
  });

  it.each(FASTIFY_VERSIONS_UNDER_TEST)('$id: the server span keeps its method name and has no route', async ({ id }) => {
    const app = load(id)();
    app.get('/users/:id', async () => 'ok');
    const base = await listen(app);
    try {
      expect(await (await fetch(base + '/users/1')).text()).toBe('ok');
      const span = await serverSpanFor(agent, base, '/users/1');
      expect(span.name).toBe('GET');
      expect(span.attributes['http.route']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('fastify disabled, spawned: responses byte-identical to a run without the agent', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  it.each(FASTIFY_VERSIONS_UNDER_TEST)('$id (Fastify $major)', async ({ id, major }) => {
    const otlp = (name: string) => ({ OTEL_SERVICE_NAME: name, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    const [none, disabled, enabled] = await Promise.all([
      runFixture('fastify-bytes.cjs', { preload: 'none', args: [id] }),
      runFixture('fastify-bytes.cjs', {
        preload: 'require',
        args: [id],
        env: { ...otlp(`disabled-${major}`), OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fastify' },
      }),
      runFixture('fastify-bytes.cjs', { preload: 'require', args: [id], env: otlp(`enabled-${major}`) }),
    ]);
    for (const run of [none, disabled, enabled]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    expect(none.result).toBeDefined();
    expect(disabled.result).toEqual(none.result);
    expect(enabled.result).toEqual(none.result);

    const spansOf = async (service: string) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const mine = receiver.spans().filter((s) => attributeMap(s.resource)['service.name'] === service && s.kind === 2);
        if (mine.length >= 5 || Date.now() > deadline) return mine;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const enabledSpans = await spansOf(`enabled-${major}`);
    const disabledSpans = await spansOf(`disabled-${major}`);
    expect(enabledSpans.map((s) => s.name).sort()).toEqual(['GET', 'GET /api/items/:id', 'GET /boom', 'GET /teapot', 'GET /users/:id']);
    expect(disabledSpans.map((s) => s.name)).toEqual(['GET', 'GET', 'GET', 'GET', 'GET']);
    for (const s of disabledSpans) expect(attributeMap(s.attributes)['http.route']).toBeUndefined();
  });
});
