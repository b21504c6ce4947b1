import { describe, expect, it } from 'vitest';
import { getOriginal, isWrapped } from '../../../src/instrument/wrap';
import { EXPRESS_VARIANTS, setupExpress } from './helpers';

const { load } = setupExpress();

// Where each major keeps its Router and Layer.
const INTERNALS = {
  express: { router: () => load('router').prototype, layer: () => load('router/lib/layer.js').prototype, request: 'handleRequest', error: 'handleError' },
  express4: { router: () => load('express4/lib/router/index.js'), layer: () => load('express4/lib/router/layer.js').prototype, request: 'handle_request', error: 'handle_error' },
} as const;

describe.each(EXPRESS_VARIANTS)('$id (Express $major): host safety', ({ id }) => {
  const express = load(id);
  const internals = INTERNALS[id];

  it('wraps Router and Layer methods keeping name and length', () => {
    const router = internals.router();
    const layer = internals.layer();
    for (const [obj, key] of [
      [router, 'use'],
      [router, 'route'],
      [router, 'handle'],
      [layer, internals.request],
      [layer, internals.error],
    ] as const) {
      const fn = obj[key];
      expect(isWrapped(fn), key).toBe(true);
      expect(fn.name).toBe(getOriginal(fn).name);
      expect(fn.length).toBe(getOriginal(fn).length);
    }
  });

  it('keeps return values and thrown errors of registration', () => {
    const router = express.Router();
    expect(router.use('/x', () => {})).toBe(router);
    const route = router.route('/y');
    expect(route.path).toBe('/y');
    expect(router.get('/z', () => {})).toBe(router);
    expect(() => router.use('/x')).toThrow(TypeError);
  });

  it('attaches nothing to a request that is not traced', async () => {
    const app = express();
    app.get('/users/:id', (_req: unknown, res: { end(): void }) => res.end());
    // A request handed to the app directly, outside any traced server.
    const req = Object.assign(Object.create(null) as object, { method: 'GET', url: '/users/1', headers: {} });
    let ended = false;
    const res = { setHeader() {}, getHeader() {}, end: () => (ended = true), headersSent: false, locals: {} };
    app.handle(req, res, () => {});
    await new Promise((r) => setImmediate(r));
    expect(ended).toBe(true);
    expect(Object.getOwnPropertySymbols(req).map(String).filter((s) => s.includes('waymark'))).toEqual([]);
  });
});
