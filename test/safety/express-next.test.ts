import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../helpers/spawn-app';

// Rule: the opt-in Express layer spans (WAYMARK_EXPRESS_MIDDLEWARE_SPANS=true) keep what a
// middleware can see: its `next` is `req.next`, which Express's own res.format relies on
// (an unmatched Accept header goes through req.next as a 406).
const FIXTURE = 'test/fixtures/exit/express-next-app.js';

let apps: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  apps = [];
});

async function answers(app: RunningApp) {
  const out = [];
  for (const [path, accept] of [
    ['/format', 'text/plain'],
    ['/format', 'application/json'],
    ['/later', '*/*'],
  ] as const) {
    const res = await fetch(`http://127.0.0.1:${app.port}${path}`, { headers: { accept } });
    out.push({
      status: res.status,
      body: await res.text(),
      next: res.headers.get('x-next-is-req-next'),
      later: res.headers.get('x-later-next-is-req-next'),
    });
  }
  return out;
}

describe('Express layer spans and req.next', () => {
  for (const FIXTURE_EXPRESS of ['express', 'express4']) {
    it(`${FIXTURE_EXPRESS}: middlewares see next === req.next and res.format answers as without the agent`, async () => {
      const baseline = await startApp(FIXTURE, { FIXTURE_EXPRESS }, { agent: false });
      apps.push(baseline);
      const expected = await answers(baseline);
      expect(expected[0]!.next).toBe('true');
      expect(expected[1]!.status).toBe(406);
      const traced = await startApp(FIXTURE, { FIXTURE_EXPRESS, WAYMARK_EXPRESS_MIDDLEWARE_SPANS: 'true', OTEL_TRACES_EXPORTER: 'none' });
      apps.push(traced);
      expect(await answers(traced)).toEqual(expected);
    });
  }
});
