import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument/wrap';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { FIXTURES, ROOT } from '../../helpers/paths';
import { runFixture } from '../../helpers/run-node';
import { serverSpanFor } from '../../helpers/spans';
import { KOA_VERSIONS_UNDER_TEST, serve, setupKoa } from './helpers';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=koa: Koa must behave exactly as without the agent.
const { agent, hooks, load } = setupKoa({ disabled: ['koa'] });

describe('koa disabled, in process', () => {
  it.each(KOA_VERSIONS_UNDER_TEST)('$koa: not selected, nothing patched, the server span keeps its method name', async ({ koa }) => {
    expect(hooks.instrumentations).not.toContain('koa');
    const Koa = load(koa);
    expect(isWrapped(Koa.prototype.callback)).toBe(false);
    const Router = load('@koa/router');
    const app = new Koa();
    const router = new Router();
    router.get('/users/:id', (ctx: { body: unknown }) => {
      ctx.body = 'ok';
    });
    app.use(router.routes());
    const { base, close } = await serve(app);
    try {
      expect(await (await fetch(base + '/users/1')).text()).toBe('ok');
      const span = await serverSpanFor(agent, base, '/users/1');
      expect(span.name).toBe('GET');
      expect(span.attributes['http.route']).toBeUndefined();
    } finally {
      await close();
    }
  });
});

// Koa 2 is installed as `koa2`; the agent names packages by directory, so the spawned runs
// load it through a link named `koa` (with --preserve-symlinks).
const V2_ALIAS = path.join(FIXTURES, 'koa-v2-alias');

describe('koa disabled, spawned: responses byte-identical to a run without the agent', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    const link = path.join(V2_ALIAS, 'node_modules', 'koa');
    if (!existsSync(link)) {
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules', 'koa2'), link, 'dir');
    }
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  it.each([
    { major: 3, from: FIXTURES },
    { major: 2, from: V2_ALIAS },
  ])('Koa $major', async ({ major, from }) => {
    const common = { args: [from], nodeArgs: ['--preserve-symlinks'] };
    const otlp = (name: string) => ({ OTEL_SERVICE_NAME: name, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    const [none, disabled, enabled] = await Promise.all([
      runFixture('koa-bytes.cjs', { ...common, preload: 'none' }),
      runFixture('koa-bytes.cjs', {
        ...common,
        preload: 'require',
        env: { ...otlp(`koa-disabled-${major}`), OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'koa' },
      }),
      runFixture('koa-bytes.cjs', { ...common, preload: 'require', env: otlp(`koa-enabled-${major}`) }),
    ]);
    for (const run of [none, disabled, enabled]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    expect(none.result).toBeDefined();
    expect(disabled.result).toEqual(none.result);
    expect(enabled.result).toEqual(none.result);

    // The enabled run really was instrumented (so the comparison means something), the disabled one not.
    const spansOf = async (service: string) => {
      const deadline = Date.now() + 5000;
      for (;;) {
        const mine = receiver.spans().filter((s) => attributeMap(s.resource)['service.name'] === service && s.kind === 2);
        if (mine.length >= 5 || Date.now() > deadline) return mine;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const enabledSpans = await spansOf(`koa-enabled-${major}`);
    const disabledSpans = await spansOf(`koa-disabled-${major}`);
    expect(enabledSpans.map((s) => s.name).sort()).toEqual(['GET', 'GET /api/items/:id', 'GET /boom', 'GET /teapot', 'GET /users/:id']);
    const boom = enabledSpans.find((s) => s.name === 'GET /boom')!;
    expect(boom.events.map((e) => e.name)).toEqual(['exception']);
    expect(disabledSpans.map((s) => s.name)).toEqual(['GET', 'GET', 'GET', 'GET', 'GET']);
    for (const s of disabledSpans) expect(attributeMap(s.attributes)['http.route']).toBeUndefined();
  });
});
