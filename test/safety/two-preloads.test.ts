import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { REGISTER_CJS, REGISTER_ESM, ROOT, runToEnd } from '../helpers/signal-run';

// Rule: however many times the agent is preloaded, and from however many copies, one agent
// runs and it covers CommonJS and ESM. `NODE_OPTIONS=--require …/register.js` plus an ESM
// app's own `--import …/register.mjs` is the common way to get there: Node runs every
// --require first, so the agent starts before the import hook exists and must take it up
// when register.mjs arrives. Two copies of register.mjs register one import hook, without
// import-in-the-middle's "already initialized" warning.
// Express is CommonJS (its require of http is hooked either way); this app imports
// node:http from ESM, which only the import hook sees.
const APPS = ['test/fixtures/express-esm.mjs', 'test/fixtures/exit/esm-http-app.mjs'];

let copy: string;
beforeAll(() => {
  // A second installation of the agent, as a project and a global install would be.
  copy = mkdtempSync(path.join(tmpdir(), 'waymark-copy-'));
  for (const f of ['register.js', 'register.mjs', 'build', 'package.json']) cpSync(path.join(ROOT, f), path.join(copy, f), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

async function spansUnder(app: string, nodeArgs: string[]) {
  const ending = await runToEnd(app, { nodeArgs, env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url } });
  expect(ending.code).toBe(0);
  expect(ending.stdout).toContain('RESULT ');
  await new Promise((r) => setTimeout(r, 50));
  const spans = receiver.spans().map((s) => `${s.kind} ${s.name}`).sort();
  return { spans, stderr: ending.stderr };
}

describe('two preloads, one agent', () => {
  const variants: Array<[string, () => string[]]> = [
    ['--require register.js --import register.mjs', () => ['--require', REGISTER_CJS, '--import', REGISTER_ESM]],
    ['--import register.mjs from two copies', () => ['--import', REGISTER_ESM, '--import', path.join(copy, 'register.mjs')]],
    ['--require of one copy, --import of another', () => ['--require', REGISTER_CJS, '--import', path.join(copy, 'register.mjs')]],
  ];
  const cases = APPS.flatMap((app) => variants.map(([name, args]) => [path.basename(app), name, app, args] as const));
  it.each(cases)('%s, %s: the same spans as one --import, no warning', async (_app, _name, app, args) => {
    const reference = await spansUnder(app, ['--import', REGISTER_ESM]);
    expect(reference.spans.filter((s) => s.startsWith('2 GET'))).not.toHaveLength(0);
    expect(reference.spans).toContain('3 GET');
    await receiver.close();
    receiver = await startOtlpReceiver();
    const both = await spansUnder(app, args());
    expect(both.spans).toEqual(reference.spans);
    expect(both.stderr).not.toMatch(/already been initialized|already been registered/);
    expect(both.stderr).toBe(reference.stderr);
  });
});
