import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt } from '../helpers/paths';
import { runNode } from '../helpers/run-node';

// The bundle's V8 code cache: the one built with the package serves the V8 it was built
// with; any other Node line keeps one of its own under the temp dir, made once and then
// reused. CI runs this file on every line, so both paths are taken.

const BUNDLE = path.join(ROOT, 'build', 'waymark-agent.js');
const meta = (): { v8: string; bundle: string } => JSON.parse(readFileSync(path.join(ROOT, 'build', 'waymark-agent.cache.json'), 'utf8'));
const builtForThisNode = (): boolean => meta().v8 === process.versions.v8;
const cacheDir = (tmp: string): string => path.join(tmp, `waymark-code-cache-${process.getuid!()}`);
const cacheFile = (tmp: string): string => path.join(cacheDir(tmp), `${meta().bundle}-${process.versions.v8.replace(/[^\w.-]/g, '_')}.cache`);

/** An app that lives past the moment the agent writes its cache (1 s after start). */
const runApp = (tmp: string) =>
  runNode(['--require', './register.js', '-e', 'setTimeout(() => console.log("done"), 1500)'], {
    env: { TMPDIR: tmp, OTEL_TRACES_EXPORTER: 'none', OTEL_LOG_LEVEL: 'error' },
  });

beforeAll(() => assertBuilt());

describe('the V8 code cache of the bundle', () => {
  it('serves every Node line: the shipped cache on the V8 that built it, else one made on the first start and then reused', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'wm-cc-'));
    expect((await runApp(tmp)).stdout).toContain('done');
    const bundle = readFileSync(BUNDLE, 'utf8');
    if (builtForThisNode()) {
      expect(existsSync(cacheDir(tmp))).toBe(false);
      const script = new vm.Script(Module.wrap(bundle), { filename: BUNDLE, cachedData: readFileSync(path.join(ROOT, 'build', 'waymark-agent.cache')) });
      expect(script.cachedDataRejected).toBe(false);
      return;
    }
    const file = cacheFile(tmp);
    const first = statSync(file);
    expect(statSync(cacheDir(tmp)).mode & 0o777).toBe(0o700);
    expect(first.mode & 0o777).toBe(0o600);
    // This V8 takes it for the bundle...
    const script = new vm.Script(Module.wrap(bundle), { filename: BUNDLE, cachedData: readFileSync(file) });
    expect(script.cachedDataRejected).toBe(false);
    // ...and so does the next start, which then leaves it as it is (a rejected one is rewritten).
    await new Promise((r) => setTimeout(r, 20));
    expect((await runApp(tmp)).stdout).toContain('done');
    expect(statSync(file).mtimeMs).toBe(first.mtimeMs);
  });

  it('is never read from, nor written to, a directory others can write', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'wm-cc-'));
    mkdirSync(cacheDir(tmp));
    chmodSync(cacheDir(tmp), 0o777);
    expect((await runApp(tmp)).stdout).toContain('done');
    expect(existsSync(cacheFile(tmp))).toBe(false);
  });
});
