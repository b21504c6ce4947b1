import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createRequire } from 'node:module';
import { setLogLevel, setLogSink } from '../../../src/diag';
import { installHooks, type HooksHandle } from '../../../src/hooks';
import type { Instrumentation, InstrumentationEntry } from '../../../src/instrument/types';

// One process per test file: each package below is required for the first time here.
const nodeRequire = createRequire(__filename);
const lines: string[] = [];
setLogSink((l) => lines.push(l));
setLogLevel('debug');

const loads: string[] = [];
const patches: Array<{ name: string; module: string; version: string | undefined }> = [];

function entry(name: string, module: string, versions: string, impl?: Partial<Instrumentation>): InstrumentationEntry {
  return {
    name,
    targets: [{ module, versions }],
    load: () => {
      loads.push(name);
      return {
        patch(exports: Record<string, unknown>, target, _kit, version) {
          patches.push({ name, module: target.module, version });
          exports.__patchedBy = name;
        },
        ...impl,
      };
    },
  };
}

let hooks: HooksHandle;
const started: string[] = [];

beforeAll(() => {
  // A library loaded before the agent: warned about once.
  nodeRequire('depd');
  hooks = installHooks({ disabled: ['off-by-config'] }, [
    entry('vary-inst', 'vary', '^1.0.0'),
    entry('etag-too-new', 'etag', '>=2'),
    entry('off-by-config', 'fresh', '*'),
    entry('throws-on-patch', 'escape-html', '*', {
      patch() {
        throw new Error('patch exploded');
      },
    }),
    entry('ms-inst', 'ms', '2.x'),
    entry('preloaded', 'depd', '*'),
    {
      name: 'channel-sub',
      targets: [],
      load: () => ({ start: (kit) => started.push(kit.name) }),
    },
  ]);
});

afterAll(() => hooks.uninstall());

describe('installHooks', () => {
  it('loads nothing of an instrumentation until its module is required', () => {
    expect(loads).toEqual([]);
    const vary = nodeRequire('vary') as { __patchedBy?: string };
    expect(loads).toContain('vary-inst');
    expect(vary.__patchedBy).toBe('vary-inst');
    expect(patches.find((p) => p.name === 'vary-inst')?.version).toBe('1.1.2');
  });

  it('starts target-less instrumentations at install', () => {
    expect(started).toEqual(['channel-sub']);
  });

  it('leaves a version outside the range alone, with one line at the default level', () => {
    const etag = nodeRequire('etag') as { __patchedBy?: string };
    expect(etag.__patchedBy).toBeUndefined();
    expect(loads).not.toContain('etag-too-new');
    expect(lines.filter((l) => l.includes('etag'))).toEqual(['[waymark] warn: etag 1.8.1 is not instrumented (supported: >=2)']);
  });

  it('does not hook disabled instrumentations', () => {
    const fresh = nodeRequire('fresh') as { __patchedBy?: string };
    expect(fresh.__patchedBy).toBeUndefined();
    expect(loads).not.toContain('off-by-config');
    expect(hooks.instrumentations).not.toContain('off-by-config');
  });

  it('a throwing patch returns the module unpatched and disables only that instrumentation', () => {
    const escape = nodeRequire('escape-html') as (s: string) => string;
    expect(escape('<a>')).toBe('&lt;a&gt;');
    expect(hooks.kit('throws-on-patch')?.active).toBe(false);
    expect(hooks.kit('ms-inst')?.active).toBe(true);
    expect(lines.filter((l) => l.includes('throws-on-patch'))).toHaveLength(1);
    const ms = nodeRequire('ms') as { __patchedBy?: string };
    expect(ms.__patchedBy).toBe('ms-inst');
  });

  it('warns once about a supported library loaded before the agent, naming the fix', () => {
    const warnings = lines.filter((l) => l.includes('warn') && l.includes('depd'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('--require waymark/register.js');
  });

  it('a second copy of the agent does not patch again', () => {
    const second = installHooks({}, [entry('vary-inst', 'vary', '*')]);
    expect(second.installed).toBe(false);
    expect(lines.some((l) => l.includes('another copy'))).toBe(true);
    expect(patches.filter((p) => p.name === 'vary-inst')).toHaveLength(1);
  });
});
