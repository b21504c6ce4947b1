import { beforeEach, describe, it, expect } from 'vitest';
import { setLogLevel, setLogSink } from '../../../src/diag';
import { describeRanges } from '../../../src/hooks';
import { selectEntries } from '../../../src/hooks/select';
import { packageOf } from '../../../src/hooks/preloaded';
import type { InstrumentationEntry } from '../../../src/instrument/types';

const entries: InstrumentationEntry[] = ['http', 'fetch', 'express', 'fastify'].map((name) => ({
  name,
  targets: [],
  load: () => ({}),
}));
const names = (cfg: Parameters<typeof selectEntries>[1]) => selectEntries(entries, cfg).map((e) => e.name);

describe('selectEntries (OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS)', () => {
  it('selects all by default', () => {
    expect(names({})).toEqual(['http', 'fetch', 'express', 'fastify']);
    expect(names({ enabled: [] })).toEqual(['http', 'fetch', 'express', 'fastify']);
  });
  it('enabled narrows, disabled removes, disabled wins', () => {
    expect(names({ enabled: ['http', ' Express '] })).toEqual(['http', 'express']);
    expect(names({ disabled: ['fetch'] })).toEqual(['http', 'express', 'fastify']);
    expect(names({ enabled: ['http', 'fetch'], disabled: ['fetch'] })).toEqual(['http']);
  });
});

describe('packageOf', () => {
  it('finds the innermost package of a file', () => {
    expect(packageOf('/app/node_modules/express/index.js')).toBe('express');
    expect(packageOf('/app/node_modules/a/node_modules/@scope/pkg/lib/x.js')).toBe('@scope/pkg');
    expect(packageOf('/app/src/index.js')).toBeUndefined();
  });
});

describe('selectEntries: unknown names and OpenTelemetry aliases', () => {
  const withAliases: InstrumentationEntry[] = entries.map((e) => (e.name === 'fetch' ? { ...e, aliases: ['undici'] } : e));
  const pick = (cfg: Parameters<typeof selectEntries>[1]) => selectEntries(withAliases, cfg).map((e) => e.name);
  let lines: string[] = [];
  beforeEach(() => {
    lines = [];
    setLogSink((l) => lines.push(l));
    setLogLevel('info');
  });

  it('accepts OpenTelemetry names as aliases, silently', () => {
    expect(pick({ enabled: ['undici', 'HTTP'] })).toEqual(['http', 'fetch']);
    expect(pick({ disabled: ['undici'] })).toEqual(['http', 'express', 'fastify']);
    expect(lines).toEqual([]);
  });

  it('an enabled list naming nothing known keeps every instrumentation, with one line listing the valid names', () => {
    expect(pick({ enabled: ['expres'] })).toEqual(['http', 'fetch', 'express', 'fastify']);
    expect(lines).toEqual([
      '[waymark] warn: invalid OTEL_NODE_ENABLED_INSTRUMENTATIONS="expres": unknown instrumentation name; ' +
        'valid names: http, fetch (or undici), express, fastify; using the default (every instrumentation)',
    ]);
  });

  it('unknown names next to known ones are skipped, with one line', () => {
    expect(pick({ enabled: ['express', 'expres', 'nope'] })).toEqual(['express']);
    expect(pick({ disabled: ['fetchh'] })).toEqual(['http', 'fetch', 'express', 'fastify']);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('OTEL_NODE_ENABLED_INSTRUMENTATIONS="express,expres,nope"');
    expect(lines[0]).toContain('skipped "expres", "nope"');
    expect(lines[1]).toContain('OTEL_NODE_DISABLED_INSTRUMENTATIONS="fetchh"');
  });
});

describe('describeRanges', () => {
  it('shortens and joins the ranges of a library', () => {
    expect(describeRanges(['>=5.0.0 <7', '>=5.0.0 <7'])).toBe('>=5 <7');
    expect(describeRanges(['>=1.0.0 <2', '>=1.0.0 <2 || >=6.0.0 <7'])).toBe('>=1 <2 || >=6 <7');
    expect(describeRanges(['>=0.10.0 <3'])).toBe('>=0.10 <3');
    expect(describeRanges(['>=5.0.0-rc.1'])).toBe('>=5.0.0-rc.1');
  });
});
