import { readFileSync } from 'node:fs';
import path from 'node:path';
import { context as appContext, propagation as appPropagation, trace as appTrace, ROOT_CONTEXT, createContextKey, type TextMapPropagator } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { API_GLOBALS, propagation, registerGlobals, registeredTracer, sharedApiVersion } from '../../src/api-globals';
import { startAgent } from '../../src/agent';
import { activeContext, AsyncLocalStorageContextManager, bindContext, withContext } from '../../src/sdk/context-manager';

/** The registered context, as the core and the kit read it. */
const context = { active: activeContext, with: withContext, bind: bindContext };
import { TracerProvider } from '../../src/sdk/tracer-provider';
import { createSampler } from '../../src/sdk/sampler';
import { readConfig } from '../../src/config';

const KEY = createContextKey('api-globals test key');
type Holder = Record<symbol, Record<string, unknown> | undefined>;

function provider(): TracerProvider {
  const config = readConfig({});
  return new TracerProvider({ sample: createSampler('always_on', undefined), limits: config.limits, processors: [] });
}

const fieldPropagator = (field: string): TextMapPropagator => ({
  inject: (_ctx, carrier, setter) => setter.set(carrier, field, 'x'),
  extract: (ctx) => ctx.setValue(KEY, field),
  fields: () => [field],
});

afterEach(() => {
  delete (globalThis as unknown as Holder)[API_GLOBALS];
});

describe('api-globals', () => {
  it('registers with the installed API version, which the app’s API copy then reads', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../node_modules/@opentelemetry/api/package.json'), 'utf8')) as { version: string };
    expect(sharedApiVersion()).toBe(pkg.version);
    const manager = new AsyncLocalStorageContextManager();
    const tp = provider();
    expect(registerGlobals({ context: manager, trace: tp, propagation: fieldPropagator('ours') })).toBeUndefined();
    expect((globalThis as unknown as Holder)[API_GLOBALS]!.version).toBe(pkg.version);
    const ctx = ROOT_CONTEXT.setValue(KEY, 1);
    // The app's API and ours agree on the active context and the propagator.
    expect(appContext.with(ctx, () => [appContext.active(), context.active()])).toEqual([ctx, ctx]);
    expect(context.with(ctx, (a: number) => a + 1, undefined, 1)).toBe(2);
    const carrier: Record<string, string> = {};
    propagation.inject(ROOT_CONTEXT, carrier);
    appPropagation.inject(ROOT_CONTEXT, carrier);
    expect(carrier).toEqual({ ours: 'x' });
    expect(propagation.extract(ROOT_CONTEXT, {}).getValue(KEY)).toBe('ours');
    expect(propagation.fields()).toEqual(['ours']);
    expect(appTrace.getTracerProvider()).toBe(tp);
    expect(registeredTracer('t')).toBeDefined();
    manager.disable();
  });

  it('refuses when a context manager or tracer provider is already there, and keeps an earlier propagator', () => {
    const first = new AsyncLocalStorageContextManager();
    expect(appContext.setGlobalContextManager(first)).toBe(true);
    expect(registerGlobals({ context: new AsyncLocalStorageContextManager(), trace: provider(), propagation: fieldPropagator('a') })).toMatch(
      /another context manager/,
    );
    expect((globalThis as unknown as Holder)[API_GLOBALS]!['context']).toBe(first);
    appContext.disable();

    expect(appPropagation.setGlobalPropagator(fieldPropagator('theirs'))).toBe(true);
    const m = new AsyncLocalStorageContextManager();
    const entries = { context: m, trace: provider(), propagation: fieldPropagator('ours') };
    expect(registerGlobals(entries)).toBeUndefined();
    const carrier: Record<string, string> = {};
    propagation.inject(ROOT_CONTEXT, carrier);
    expect(carrier).toEqual({ theirs: 'x' });
    expect(registerGlobals(entries)).toMatch(/another context manager/);
    m.disable();
  });

  it('with nothing registered: the root context, the function called as is, no tracer, extract a no-op', () => {
    expect(context.active()).toBe(ROOT_CONTEXT);
    const self = {};
    expect(context.with(ROOT_CONTEXT, function (this: unknown, a: number) { return [this, a]; }, self, 7)).toEqual([self, 7]);
    const fn = () => 1;
    expect(context.bind(ROOT_CONTEXT, fn)).toBe(fn);
    expect(propagation.fields()).toEqual([]);
    expect(registeredTracer('t')).toBeUndefined();
    expect(propagation.extract(ROOT_CONTEXT, { traceparent: 'x' })).toBe(ROOT_CONTEXT);
  });

  it('startAgent stays inactive, with one warning, when another SDK registered first', () => {
    const other = new AsyncLocalStorageContextManager();
    appContext.setGlobalContextManager(other);
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (lines.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(startAgent({ config: readConfig({ OTEL_TRACES_EXPORTER: 'none' }), instrument: false, exitHooks: false })).toBeUndefined();
    } finally {
      process.stderr.write = write;
    }
    expect(lines.join('')).toMatch(/another context manager is already registered.*waymark stays inactive/);
    expect((globalThis as unknown as Holder)[API_GLOBALS]!['trace']).toBeUndefined();
    appContext.disable();
  });
});
