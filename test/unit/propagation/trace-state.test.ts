import { describe, it, expect } from 'vitest';
import { parseTraceState, truncateTraceState, W3CTraceState } from '../../../src/propagation/trace-state';

describe('W3CTraceState', () => {
  const base = parseTraceState('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')!;

  it('serializes members in order', () => {
    expect(base.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it('set adds a new key at the front and leaves the original unchanged', () => {
    const next = base.set('acme', 'x');
    expect(next.serialize()).toBe('acme=x,rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(base.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(base.get('acme')).toBeUndefined();
  });

  it('set on an existing key updates it and moves it to the front', () => {
    // The spec's own example: congo re-enters and rewrites its entry leftmost.
    expect(base.set('congo', 'ucfJifl5GOE').serialize()).toBe('congo=ucfJifl5GOE,rojo=00f067aa0ba902b7');
  });

  it('set takes Level 2 keys: "@" anywhere after the first character, a digit first', () => {
    expect(base.set('foo@', 'x').get('foo@')).toBe('x');
    expect(base.set('foo@@bar', 'x').get('foo@@bar')).toBe('x');
    expect(base.set('1abc', 'x').get('1abc')).toBe('x');
    expect(base.set('z'.repeat(256), 'x').size).toBe(3);
  });

  it('set ignores invalid keys and values', () => {
    expect(base.set('@foo', 'x')).toBe(base);
    expect(base.set('z'.repeat(257), 'x')).toBe(base);
    expect(base.set('Bad', 'x')).toBe(base);
    expect(base.set('ok', 'a,b')).toBe(base);
    expect(base.set('ok', '')).toBe(base);
    expect(base.set('ok', 'trailing ')).toBe(base);
  });

  it('set keeps at most 32 members, dropping the rightmost', () => {
    let state = new W3CTraceState();
    for (let i = 1; i <= 33; i++) state = state.set(`k${i}`, 'v');
    expect(state.size).toBe(32);
    expect(state.get('k33')).toBe('v');
    expect(state.get('k1')).toBeUndefined();
    expect(state.get('k2')).toBe('v');
  });

  it('unset removes a key without touching the original', () => {
    const next = base.unset('rojo');
    expect(next.serialize()).toBe('congo=t61rcWkgMzE');
    expect(base.get('rojo')).toBe('00f067aa0ba902b7');
    expect(base.unset('absent')).toBe(base);
  });

  it('an empty state serializes to an empty string', () => {
    expect(new W3CTraceState().serialize()).toBe('');
  });
});

describe('parseTraceState', () => {
  it('returns undefined for a header with no members', () => {
    expect(parseTraceState('')).toBeUndefined();
    expect(parseTraceState(' , ,\t')).toBeUndefined();
  });

  it('normalizes OWS and empty members away', () => {
    expect(parseTraceState(',a=1 ,\t, b=2,')?.serialize()).toBe('a=1,b=2');
  });
});

describe('truncateTraceState', () => {
  const member = (key: string, length: number) => `${key}=${'v'.repeat(length - key.length - 1)}`;

  it('leaves a header of 512 characters alone', () => {
    const header = [member('a', 255), member('b', 256)].join(',');
    expect(header).toHaveLength(512);
    expect(truncateTraceState(header)).toBe(header);
  });

  it('drops members over 128 characters first, from the right, only as many as needed', () => {
    const header = [member('big1', 200), member('s1', 100), member('big2', 200), member('s2', 100)].join(',');
    // 603 chars; removing big2 (the rightmost large one) gives 402.
    expect(truncateTraceState(header)).toBe([member('big1', 200), member('s1', 100), member('s2', 100)].join(','));
  });

  it('then drops members from the end', () => {
    const members = Array.from({ length: 30 }, (_, i) => member(`k${i}`, 20));
    // 30 * 21 - 1 = 629; 24 members make 503.
    expect(truncateTraceState(members.join(','))).toBe(members.slice(0, 24).join(','));
  });

  it('removes large members before small ones even when they come first', () => {
    const header = [member('big', 129), ...Array.from({ length: 20 }, (_, i) => member(`k${i}`, 20))].join(',');
    expect(truncateTraceState(header).startsWith('k0=')).toBe(true);
    expect(truncateTraceState(header)).toHaveLength(20 * 21 - 1);
  });
});
