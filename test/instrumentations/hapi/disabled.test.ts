import { describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument/wrap';
import { HAPI_VERSIONS_UNDER_TEST, nodeRequireBoom, serverSpanFor, setupHapi, startHapi, type Any } from './helpers';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=hapi: Hapi behaves as without the agent. The positive
// control (the same app named by route, its error recorded) is routes.test.ts and
// errors.test.ts, and the ESM run in frameworks/esm.test.ts.
const { agent, hooks, load } = setupHapi({ disabled: ['hapi'] });
const Boom = nodeRequireBoom();

describe.each(HAPI_VERSIONS_UNDER_TEST)('hapi disabled: $hapi ($version)', ({ hapi }) => {
  it('is not selected, patches nothing, and the server span keeps its method name', async () => {
    expect(hooks.instrumentations).not.toContain('hapi');
    const { base, server } = await startHapi(load(hapi), (s: Any) => {
      s.route({ method: 'GET', path: '/items/{id}', handler: () => 'ok' });
      s.route({ method: 'GET', path: '/fail/{id}', handler: () => Boom.badImplementation('x') });
    });
    try {
      const Request = load(`${hapi}/lib/request.js`);
      expect(isWrapped(Request.prototype._lookup)).toBe(false);
      expect(isWrapped(Request.prototype._setResponse)).toBe(false);
      expect(await (await fetch(base + '/items/1')).text()).toBe('ok');
      const span = await serverSpanFor(agent, base, '/items/1');
      expect(span.name).toBe('GET');
      expect(span.attributes['http.route']).toBeUndefined();
      expect((await fetch(base + '/fail/1')).status).toBe(500);
      const failed = await serverSpanFor(agent, base, '/fail/1');
      expect(failed.name).toBe('GET');
      expect(failed.events).toHaveLength(0);
    } finally {
      await server.stop();
    }
  });
});
