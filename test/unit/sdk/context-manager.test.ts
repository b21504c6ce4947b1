import { EventEmitter } from 'node:events';
import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { AsyncLocalStorageContextManager, NOT_ENTERED } from '../../../src/sdk/context-manager';

const KEY = createContextKey('test');
const ctxWith = (v: string) => ROOT_CONTEXT.setValue(KEY, v);

describe('AsyncLocalStorageContextManager', () => {
  const cm = new AsyncLocalStorageContextManager();

  it('is ROOT outside any scope and scopes with() across awaits, timers and nesting', async () => {
    expect(cm.active()).toBe(ROOT_CONTEXT);
    await cm.with(ctxWith('outer'), async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(cm.active().getValue(KEY)).toBe('outer');
      cm.with(ctxWith('inner'), () => expect(cm.active().getValue(KEY)).toBe('inner'));
      expect(cm.active().getValue(KEY)).toBe('outer');
      await new Promise<void>((r) => setImmediate(() => {
        expect(cm.active().getValue(KEY)).toBe('outer');
        r();
      }));
    });
    expect(cm.active()).toBe(ROOT_CONTEXT);
  });

  it('passes thisArg and arguments through and returns the value', () => {
    const self = { n: 2 };
    const out = cm.with(ctxWith('x'), function (this: typeof self, a: number, b: number) {
      return this.n * a * b;
    }, self, 3, 4);
    expect(out).toBe(24);
  });

  it('binds functions, keeping name and length', () => {
    function handler(_a: unknown, _b: unknown) {
      return cm.active().getValue(KEY);
    }
    const bound = cm.bind(ctxWith('bound'), handler);
    expect(bound.name).toBe('handler');
    expect(bound.length).toBe(2);
    expect(cm.with(ctxWith('other'), () => bound(1, 2))).toBe('bound');
  });

  it('binds event emitters: listeners run in the bound context and can still be removed', () => {
    const ee = cm.bind(ctxWith('ee'), new EventEmitter());
    const seen: unknown[] = [];
    const listener = () => seen.push(cm.active().getValue(KEY));
    cm.with(ctxWith('registering'), () => ee.on('x', listener));
    cm.with(ctxWith('emitting'), () => ee.emit('x'));
    expect(seen).toEqual(['ee']);
    ee.removeListener('x', listener);
    ee.emit('x');
    expect(seen).toEqual(['ee']);
    expect(ee.listenerCount('x')).toBe(0);
  });

  it('enter/restore scope a context around a synchronous call, as with() does, also when it throws', async () => {
    const outer = ctxWith('outer');
    const inner = ctxWith('inner');
    await cm.with(outer, async () => {
      const token = cm.enter(inner);
      let later: Promise<unknown> | undefined;
      try {
        expect(cm.active()).toBe(inner);
        // What is scheduled inside sees the entered context, as under with().
        later = new Promise((r) => setImmediate(() => r(cm.active())));
        throw new Error('boom');
      } catch {
        // the caller's error, untouched
      } finally {
        cm.restore(token as never);
      }
      expect(cm.active()).toBe(outer);
      expect(await later).toBe(inner);
      // Entering the current context changes nothing and restores nothing.
      expect(cm.enter(outer)).toBe(NOT_ENTERED);
      expect(cm.active()).toBe(outer);
    });
    expect(cm.active()).toBe(ROOT_CONTEXT);
  });
});
