import { describe, it, expect } from 'vitest';
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
