import { describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument/wrap';
import { close, createCatsApp, listen, loadNest, NEST_VERSIONS_UNDER_TEST, setupNest } from './helpers';

// Uninstalling the hooks (agent shutdown) puts Nest's methods back; handlers Nest built while
// patched stay in its closures and pass every call straight through.
const { agent, hooks } = setupNest();

describe('nestjs unpatch', () => {
  it('restores NestApplication#init, NestFactory.create and RouterExecutionContext#create; the app answers the same', async () => {
    const apps = [];
    for (const { tested } of NEST_VERSIONS_UNDER_TEST) {
      const nest = loadNest(tested, 'express');
      const app = await createCatsApp(nest, async (id) => id);
      const base = await listen(app);
      const creator = app.routesResolver.routerExplorer.executionContextCreator;
      expect(isWrapped(nest.core.NestApplication.prototype.init)).toBe(true);
      expect(isWrapped(Object.getPrototypeOf(nest.core.NestFactory).create)).toBe(true);
      expect(isWrapped(Object.getPrototypeOf(creator).create)).toBe(true);
      apps.push({ nest, app, base, creator });
    }
    hooks.uninstall();
    const before = agent.finishedSpans().length;
    for (const { nest, app, base, creator } of apps) {
      expect(isWrapped(nest.core.NestApplication.prototype.init)).toBe(false);
      expect(isWrapped(Object.getPrototypeOf(nest.core.NestFactory).create)).toBe(false);
      expect(isWrapped(Object.getPrototypeOf(creator).create)).toBe(false);
      const res = await fetch(`${base}/cats/4`);
      expect(res.status).toBe(203);
      expect(await res.json()).toEqual({ id: '4', work: '4', intercepted: true });
      await close(app);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(agent.finishedSpans().slice(before).filter((s) => s.scope.name === 'waymark/nestjs')).toEqual([]);
  });
});
