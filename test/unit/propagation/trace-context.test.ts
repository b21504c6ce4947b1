import { describe, it, expect } from 'vitest';
import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceContextPropagator, parseTraceParent } from '../../../src/propagation/trace-context';
import { W3CTraceState } from '../../../src/propagation/trace-state';
import { suppressTracing } from '../../../src/suppress';
import { contextWith, extract, extractSpanContext, inject, SPAN_ID, TRACE_ID } from './helpers';

const propagator = new W3CTraceContextPropagator();
// The ids the official test suite (w3c/trace-context test/test.py) uses.
const T = '12345678901234567890123456789012';
const P = '1234567890123456';

describe('traceparent: valid values', () => {
  const valid: Array<[string, string, number]> = [
    ['version 00, sampled', `00-${T}-${P}-01`, 0x01],
    ['version 00, not sampled', `00-${T}-${P}-00`, 0x00],
    ['future version cc, 55 chars', `cc-${T}-${P}-01`, 0x01],
    ['future version cc, extra fields after a dash', `cc-${T}-${P}-01-what-the-future-will-be-like`, 0x01],
    ['version 01 with extra fields: flags kept as sent', `01-${T}-${P}-09-ab-cd`, 0x09],
    ['unknown flag bits in version 00 are read', `00-${T}-${P}-ff`, 0xff],
    ['leading space', ` 00-${T}-${P}-01`, 0x01],
    ['leading tab', `\t00-${T}-${P}-01`, 0x01],
    ['trailing space', `00-${T}-${P}-01 `, 0x01],
    ['trailing tab', `00-${T}-${P}-01\t`, 0x01],
    ['mixed OWS both ends', `\t 00-${T}-${P}-01 \t`, 0x01],
  ];
  for (const [name, header, flags] of valid) {
    it(name, () => {
      const sc = extractSpanContext(propagator, { traceparent: header });
      expect(sc).toEqual({ traceId: T, spanId: P, traceFlags: flags, isRemote: true });
    });
  }

  it('reads the spec example ids', () => {
    const sc = parseTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(sc?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(sc?.spanId).toBe('00f067aa0ba902b7');
  });

  it('accepts a one-element array value', () => {
    expect(extractSpanContext(propagator, { traceparent: [`00-${T}-${P}-01`] })?.traceId).toBe(T);
  });
});

describe('traceparent: invalid values restart the trace', () => {
  const invalid: Array<[string, string]> = [
    ['version 00 with a trailing character', `00-${T}-${P}-01.`],
    ['version 00 with extra fields', `00-${T}-${P}-01-what-the-future-will-be-like`],
    ['future version with extra data not after a dash', `cc-${T}-${P}-01.what-the-future-will-be-like`],
    ['version ff', `ff-${T}-${P}-01`],
    ['illegal version character (first)', `.0-${T}-${P}-01`],
    ['illegal version character (second)', `0.-${T}-${P}-01`],
    ['version of 3 digits', `000-${T}-${P}-01`],
    ['version of 4 digits', `0000-${T}-${P}-01`],
    ['version of 1 digit', `0-${T}-${P}-01`],
    ['uppercase version', `CC-${T}-${P}-01`],
    ['all-zero trace id', `00-00000000000000000000000000000000-${P}-01`],
    ['illegal trace id character (first)', `00-.2345678901234567890123456789012-${P}-01`],
    ['illegal trace id character (last)', `00-1234567890123456789012345678901.-${P}-01`],
    ['trace id of 33 digits', `00-123456789012345678901234567890123-${P}-01`],
    ['trace id of 31 digits', `00-1234567890123456789012345678901-${P}-01`],
    ['uppercase trace id', `00-4BF92F3577B34DA6A3CE929D0E0E4736-${P}-01`],
    ['non-hex trace id', `00-4bf92f3577b34da6a3ce929d0e0e473g-${P}-01`],
    ['all-zero parent id', `00-${T}-0000000000000000-01`],
    ['illegal parent id character (first)', `00-${T}-.234567890123456-01`],
    ['illegal parent id character (last)', `00-${T}-123456789012345.-01`],
    ['parent id of 17 digits', `00-${T}-12345678901234567-01`],
    ['parent id of 15 digits', `00-${T}-123456789012345-01`],
    ['uppercase parent id', `00-${T}-00F067AA0BA902B7-01`],
    ['illegal flags character (first)', `00-${T}-${P}-.0`],
    ['illegal flags character (second)', `00-${T}-${P}-0.`],
    ['flags of 3 digits', `00-${T}-${P}-001`],
    ['flags of 1 digit', `00-${T}-${P}-1`],
    ['uppercase flags', `00-${T}-${P}-0A`],
    ['underscore separator', `00_${T}_${P}_01`],
    ['missing separator after trace id', `00-${T}+${P}-01`],
    ['future version too short', `cc-${T}-${P}-0`],
    ['empty', ''],
    ['whitespace only', ' \t '],
    ['inner whitespace', `00- ${T}-${P}-01`],
    ['non-ASCII character', `00-${T.slice(0, 31)}é-${P}-01`],
  ];
  for (const [name, header] of invalid) {
    it(name, () => {
      expect(parseTraceParent(header)).toBeUndefined();
      const ctx = extract(propagator, { traceparent: header, tracestate: 'foo=1' });
      expect(ctx).toBe(ROOT_CONTEXT);
    });
  }

  it('two traceparent headers', () => {
    const ctx = extract(propagator, {
      traceparent: [`00-${T.slice(0, 31)}1-${P}-01`, `00-${T}-${P}-01`],
    });
    expect(ctx).toBe(ROOT_CONTEXT);
  });

  it('two traceparent headers joined by Node into one value', () => {
    expect(parseTraceParent(`00-${T}-${P}-01, 00-${T}-${P}-01`)).toBeUndefined();
  });

  it('no traceparent header leaves the context untouched', () => {
    expect(extract(propagator, { tracestate: 'foo=1' })).toBe(ROOT_CONTEXT);
  });
});

describe('tracestate on extract', () => {
  const tp = `00-${T}-${P}-00`;
  const stateOf = (tracestate: string | string[]) =>
    extractSpanContext(propagator, { traceparent: tp, tracestate })?.traceState;

  it('is inherited alongside a valid traceparent', () => {
    const state = stateOf('foo=1,bar=2');
    expect(state?.get('foo')).toBe('1');
    expect(state?.get('bar')).toBe('2');
  });

  it('is discarded with an invalid traceparent (never parsed on its own)', () => {
    const ctx = extract(propagator, { traceparent: `00-${T}-${P}-0x`, tracestate: 'foo=1' });
    expect(trace.getSpanContext(ctx)).toBeUndefined();
  });

  it('an empty header leaves no tracestate but keeps the span context', () => {
    const sc = extractSpanContext(propagator, { traceparent: tp, tracestate: '' });
    expect(sc?.traceId).toBe(T);
    expect(sc?.traceState).toBeUndefined();
  });

  it('empty headers among others are skipped', () => {
    expect(stateOf(['foo=1', ''])?.serialize()).toBe('foo=1');
    expect(stateOf(['', 'foo=1'])?.serialize()).toBe('foo=1');
  });

  it('multiple headers are combined in order', () => {
    expect(stateOf(['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'])?.serialize()).toBe(
      'foo=1,bar=2,rojo=1,congo=2,baz=3',
    );
  });

  // Level 2, "Mutating the tracestate Field": "vendors MAY also discard duplicate keys that
  // were not generated by them"; the list itself is still inherited.
  it('duplicate keys keep the list: the leftmost member of a key is kept, the later one dropped', () => {
    const cases: Array<[string | string[], string]> = [
      ['foo=1,foo=1', 'foo=1'],
      ['foo=1,foo=2', 'foo=1'],
      [['foo=1', 'foo=1'], 'foo=1'],
      [['foo=1', 'foo=2'], 'foo=1'],
      ['rojo=1,foo=1,congo=2,foo=3,bar=4', 'rojo=1,foo=1,congo=2,bar=4'],
    ];
    for (const [value, kept] of cases) {
      const sc = extractSpanContext(propagator, { traceparent: tp, tracestate: value });
      expect(sc?.traceId).toBe(T);
      expect(sc?.traceState?.serialize()).toBe(kept);
    }
  });

  it('duplicates still count towards the 32 list-members a header may hold', () => {
    const distinct = (n: number) => Array.from({ length: n }, (_, i) => `bar${String(i + 1).padStart(2, '0')}=${i}`);
    expect(stateOf([...distinct(32), 'bar01=again'].join(','))).toBeUndefined();
    expect(stateOf([...distinct(31), 'bar01=again'].join(','))?.serialize()).toBe(distinct(31).join(','));
  });

  it('accepts every allowed character in keys and values', () => {
    const keyWithoutVendor = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
    const keyWithVendor = `${keyWithoutVendor}@a-z0-9_-*/`;
    let value = '';
    for (let c = 0x20; c <= 0x7e; c++) if (c !== 0x2c && c !== 0x3d) value += String.fromCharCode(c);
    expect(stateOf(`${keyWithoutVendor}=${value}`)?.get(keyWithoutVendor)).toBe(value);
    expect(stateOf(`${keyWithVendor}=${value}`)?.get(keyWithVendor)).toBe(value);
  });

  it('ignores OWS around members', () => {
    for (const header of ['foo=1 \t , \t bar=2, \t baz=3', 'foo=1\t \t,\t \tbar=2,\t \tbaz=3']) {
      expect(stateOf(header)?.serialize()).toBe('foo=1,bar=2,baz=3');
    }
    for (const header of [' foo=1', '\tfoo=1', 'foo=1 ', 'foo=1\t', '\t foo=1 \t']) {
      expect(stateOf(header)?.get('foo')).toBe('1');
    }
  });

  it('keeps leading spaces of a value', () => {
    expect(stateOf('foo= 1')?.get('foo')).toBe(' 1');
  });

  // Level 2, "Key": key = ( lcalpha / DIGIT ) 0*255( keychar ), keychar = lcalpha / DIGIT /
  // "_" / "-" / "*" / "/" / "@": "A key MUST begin with a lowercase letter or a digit and
  // contain up to 256 characters".
  const discarded: Array<[string, string | string[]]> = [
    ['space before "="', 'foo =1'],
    ['uppercase key', 'FOO=1'],
    ['dot in key', 'foo.bar=1'],
    ['key starting with "@"', '@foo=1,bar=2'],
    ['key starting with "_"', '_foo=1,bar=2'],
    ['key starting with "*"', '*foo=1,bar=2'],
    ['"=" in value', 'foo=bar=baz'],
    ['empty value', 'foo=,bar=3'],
    ['empty key', '=1,bar=3'],
    ['no "="', 'foo,bar=3'],
    ['tab inside a value', 'foo=a\tb'],
    ['non-ASCII value', 'foo=é'],
    ['key of 257 chars', ['foo=1', `${'z'.repeat(257)}=1`]],
    ['key of 257 chars with an "@"', ['foo=1', `${'t'.repeat(242)}@${'v'.repeat(14)}=1`]],
    ['value of 257 chars', `foo=${'v'.repeat(257)}`],
  ];
  for (const [name, header] of discarded) {
    it(`an invalid member discards the whole tracestate: ${name}`, () => {
      const sc = extractSpanContext(propagator, { traceparent: tp, tracestate: header });
      expect(sc?.traceId).toBe(T);
      expect(sc?.traceState).toBeUndefined();
    });
  }

  const validKeys: Array<[string, string]> = [
    ['"@" at the end', 'foo@'],
    ['two "@" in a row', 'foo@@bar'],
    ['two "@" apart', 'foo@bar@baz'],
    ['a Level 1 multi-tenant key', 'tenant@system'],
    ['a digit first', '1abc'],
    ['a digit first, then "@"', '1tenant@sys'],
    ['a digit alone', '7'],
    ['"@" then a digit', 'foo@1sys'],
    ['256 chars', 'z'.repeat(256)],
    ['256 chars with "@" after 241', `${'t'.repeat(241)}@${'v'.repeat(14)}`],
    ['256 chars with "@" after 242 (no tenant limit)', `${'t'.repeat(242)}@${'v'.repeat(13)}`],
    ['16 chars after "@" (no system limit)', `t@${'v'.repeat(15)}`],
  ];
  for (const [name, key] of validKeys) {
    it(`a Level 2 key is kept with the members beside it: ${name}`, () => {
      const state = stateOf(['foo=1', `${key}=1,bar=2`]);
      expect(state?.serialize()).toBe(`foo=1,${key}=1,bar=2`);
      expect(state?.get(key)).toBe('1');
    });
  }

  it('accepts the longest value the grammar allows', () => {
    expect(stateOf(`foo=${'v'.repeat(256)}`)?.get('foo')).toHaveLength(256);
  });

  it('accepts 32 members and discards 33', () => {
    const members = (n: number) => Array.from({ length: n }, (_, i) => `bar${String(i + 1).padStart(2, '0')}=${i}`);
    const ok = stateOf([members(10).join(','), members(32).slice(10).join(',')]) as W3CTraceState;
    expect(ok.size).toBe(32);
    expect(ok.get('bar01')).toBe('0');
    expect(stateOf(members(33).join(','))).toBeUndefined();
  });
});

describe('inject', () => {
  it('writes a version-00 traceparent from the span context', () => {
    expect(inject(propagator, contextWith())).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    expect(inject(propagator, contextWith({ traceFlags: TraceFlags.NONE })).traceparent).toBe(
      `00-${TRACE_ID}-${SPAN_ID}-00`,
    );
  });

  it('downgrades a future version to 00', () => {
    const ctx = extract(propagator, { traceparent: `cc-${T}-${P}-01-extra` });
    expect(inject(propagator, ctx).traceparent).toBe(`00-${T}-${P}-01`);
  });

  it('injects nothing for an invalid span context', () => {
    expect(inject(propagator, trace.setSpanContext(ROOT_CONTEXT, INVALID_SPAN_CONTEXT))).toEqual({});
    expect(inject(propagator, contextWith({ traceId: 'not-a-trace-id' }))).toEqual({});
  });

  it('injects nothing without a span', () => {
    expect(inject(propagator, ROOT_CONTEXT)).toEqual({});
  });

  it('injects nothing when tracing is suppressed', () => {
    expect(inject(propagator, suppressTracing(contextWith()))).toEqual({});
  });

  it('passes the tracestate through in normalized form', () => {
    const ctx = extract(propagator, { traceparent: `00-${T}-${P}-01`, tracestate: [' foo=1 ,, bar= x ', 'baz=3'] });
    expect(inject(propagator, ctx)).toEqual({ traceparent: `00-${T}-${P}-01`, tracestate: 'foo=1,bar= x,baz=3' });
  });

  it('sends no tracestate header for an empty state', () => {
    expect(inject(propagator, contextWith({ traceState: new W3CTraceState() }))).not.toHaveProperty('tracestate');
  });

  it('truncates an oversized tracestate', () => {
    const big = `big=${'x'.repeat(200)}`;
    const small = Array.from({ length: 31 }, (_, i) => `k${String(i).padStart(2, '0')}=${'v'.repeat(10)}`);
    // 31 members of 14 chars (464 with commas) + one of 204: over 512 until the big one goes.
    const header = [small[0], big, ...small.slice(1)].join(',');
    expect(header.length).toBeGreaterThan(512);
    const state = extractSpanContext(propagator, { traceparent: `00-${T}-${P}-01`, tracestate: header })?.traceState;
    expect(state).toBeDefined();
    const out = inject(propagator, contextWith({ traceState: state })).tracestate;
    expect(out).toBe(small.join(','));
  });
});

describe('fields', () => {
  it('lists both headers', () => {
    expect(propagator.fields()).toEqual(['traceparent', 'tracestate']);
  });
});
