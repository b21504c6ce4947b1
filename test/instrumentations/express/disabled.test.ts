import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument/wrap';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { serverSpanFor } from '../../helpers/spans';
import { EXPRESS_VARIANTS, listen, setupExpress } from './helpers';
import { FIXTURES, ROOT } from '../../helpers/paths';
import { runFixture } from '../../helpers/run-node';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=express: Express must behave exactly as without the agent.
const { agent, hooks, load } = setupExpress({ disabled: ['express'] });

describe('express disabled, in process', () => {
  it('is not selected and patches nothing', () => {
    expect(hooks.instrumentations).not.toContain('express');
    load('express');
    const Router = load('router');
    const Layer = load('router/lib/layer.js');
    for (const m of ['use', 'route', 'handle']) expect(isWrapped(Router.prototype[m]), m).toBe(false);
    expect(isWrapped(Layer.prototype.handleRequest)).toBe(false);
    load('express4');
    const proto = load('express4/lib/router/index.js');
    const Layer4 = load('express4/lib/router/layer.js');
    for (const m of ['use', 'route', 'handle']) expect(isWrapped(proto[m]), m).toBe(false);
    expect(isWrapped(Layer4.prototype.handle_request)).toBe(false);
  });

  it.each(EXPRESS_VARIANTS)('$id: the server span keeps its method name and has no route', async ({ id }) => {
    const express = load(id);
    const app = express();
    const api = express.Router();
    api.get('/users/:id', (_req: unknown, res: { send(b: string): void }) => res.send('ok'));
    app.use('/api', api);
    const { url, close } = await listen(app);
    try {
      expect(await (await fetch(url + '/api/users/1')).text()).toBe('ok');
      const span = await serverSpanFor(agent, url, '/api/users/1');
      expect(span.name).toBe('GET');
      expect(span.attributes['http.route']).toBeUndefined();
    } finally {
      await close();
    }
  });
});

// Express 4 is installed as `express4`; the agent names packages by directory, so the
// spawned runs load it through a link named `express` (with --preserve-symlinks).
const V4_ALIAS = path.join(FIXTURES, 'express-v4-alias');

describe('express disabled, spawned: responses byte-identical to a run without the agent', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    const link = path.join(V4_ALIAS, 'node_modules', 'express');
    if (!existsSync(link)) {
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules', 'express4'), link, 'dir');
    }
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  it.each([
    { major: 5, from: FIXTURES },
    { major: 4, from: V4_ALIAS },
  ])('Express $major', async ({ major, from }) => {
    const common = { args: [from], nodeArgs: ['--preserve-symlinks'] };
    const otlp = (name: string) => ({ OTEL_SERVICE_NAME: name, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    const [none, disabled, noneProd, enabledProd] = await Promise.all([
      runFixture('express-bytes.cjs', { ...common, preload: 'none' }),
      runFixture('express-bytes.cjs', {
        ...common,
        preload: 'require',
        env: { ...otlp(`disabled-${major}`), OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'express' },
      }),
      // Production mode: the error page has no stack (where the agent's wrappers would show).
      runFixture('express-bytes.cjs', { ...common, preload: 'none', env: { NODE_ENV: 'production' } }),
      runFixture('express-bytes.cjs', { ...common, preload: 'require', env: { ...otlp(`enabled-${major}`), NODE_ENV: 'production' } }),
    ]);
    for (const run of [none, disabled, noneProd, enabledProd]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    expect(none.result).toBeDefined();
    expect(disabled.result).toEqual(none.result);
    expect(enabledProd.result).toEqual(noneProd.result);

    // The enabled run really was instrumented (so the comparison means something) and
    // the disabled one was not.
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
    expect(enabledSpans.map((s) => s.name).sort()).toEqual(['GET', 'GET /api/items/:id', 'GET /boom', 'GET /next', 'GET /users/:id']);
    expect(disabledSpans.map((s) => s.name)).toEqual(['GET', 'GET', 'GET', 'GET', 'GET']);
    for (const s of disabledSpans) expect(attributeMap(s.attributes)['http.route']).toBeUndefined();
  });
});
