import { describe, it, expect } from 'vitest';
import { baggageEntryMetadataFromString, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '../../../src/propagation/baggage';
import { suppressTracing } from '../../../src/suppress';
import { extract, inject, type Headers } from './helpers';

const propagator = new W3CBaggagePropagator();

/** Extracted baggage as plain { key: value }. */
function valuesOf(headers: Headers, base?: Context): Record<string, string> {
  const baggage = propagation.getBaggage(extract(propagator, headers, base));
  return Object.fromEntries((baggage?.getAllEntries() ?? []).map(([k, e]) => [k, e.value]));
}

function withBaggage(entries: Record<string, string | { value: string; metadata?: string }>): Context {
  const baggage = propagation.createBaggage(
    Object.fromEntries(
      Object.entries(entries).map(([k, e]) =>
        typeof e === 'string'
          ? [k, { value: e }]
          : [k, { value: e.value, metadata: e.metadata ? baggageEntryMetadataFromString(e.metadata) : undefined }],
      ),
    ),
  );
  return propagation.setBaggage(ROOT_CONTEXT, baggage);
}

describe('baggage extract', () => {
  it('reads the spec example with properties as metadata', () => {
    const ctx = extract(propagator, {
      baggage: 'key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue',
    });
    const baggage = propagation.getBaggage(ctx)!;
    expect(baggage.getEntry('key1')?.value).toBe('value1');
    expect(baggage.getEntry('key1')?.metadata?.toString()).toBe('property1;property2');
    expect(baggage.getEntry('key2')).toEqual({ value: 'value2' });
    expect(baggage.getEntry('key3')?.metadata?.toString()).toBe('propertyKey=propertyValue');
  });

  it('percent-decodes values', () => {
    expect(valuesOf({ baggage: 'userId=alice,serverNode=DF%2028,isProduction=false' })).toEqual({
      userId: 'alice',
      serverNode: 'DF 28',
      isProduction: 'false',
    });
    expect(valuesOf({ baggage: 'city=M%C3%BCnchen' })).toEqual({ city: 'München' });
  });

  it('does not treat "+" as a space', () => {
    expect(valuesOf({ baggage: 'k=a+b' })).toEqual({ k: 'a+b' });
  });

  it('combines multiple headers, with OWS around keys and values', () => {
    expect(valuesOf({ baggage: ['userId =   alice', 'serverNode = DF%2028, isProduction = false'] })).toEqual({
      userId: 'alice',
      serverNode: 'DF 28',
      isProduction: 'false',
    });
  });

  it('allows "=" inside values and empty values', () => {
    expect(valuesOf({ baggage: 'k=a=b,e=' })).toEqual({ k: 'a=b', e: '' });
  });

  it('skips invalid members and keeps the valid ones', () => {
    const header = [
      'good=1',
      'novalue',
      '=v',
      'bad key=1',
      'k1=v v',
      'k2=a"b',
      'k3=a\\b',
      'k4=%zz',
      'k5=v;=x',
      'k6=é',
      '',
      'also=2',
    ].join(',');
    expect(valuesOf({ baggage: header })).toEqual({ good: '1', also: '2' });
  });

  it('keeps the last of duplicate keys', () => {
    expect(valuesOf({ baggage: 'k=1,k=2' })).toEqual({ k: '2' });
  });

  it('treats __proto__ as an ordinary key', () => {
    const baggage = propagation.getBaggage(extract(propagator, { baggage: '__proto__=x,k=1' }))!;
    expect(baggage.getEntry('__proto__')?.value).toBe('x');
    expect(baggage.getAllEntries().map(([k]) => k)).toEqual(['__proto__', 'k']);
  });

  it('reads at most 180 members', () => {
    const header = Array.from({ length: 181 }, (_, i) => `k${i}=${i}`).join(',');
    const values = valuesOf({ baggage: header });
    expect(Object.keys(values)).toHaveLength(180);
    expect(values.k179).toBe('179');
    expect(values.k180).toBeUndefined();
  });

  it('skips a member over 4096 bytes', () => {
    expect(valuesOf({ baggage: `big=${'x'.repeat(4093)},k=1` })).toEqual({ k: '1' });
    expect(valuesOf({ baggage: `big=${'x'.repeat(4092)}` }).big).toHaveLength(4092);
  });

  it('stops at 8192 header bytes', () => {
    const member = (i: number) => `k${i}=${'x'.repeat(2000)}`;
    const header = [0, 1, 2, 3, 4].map(member).join(',');
    expect(Object.keys(valuesOf({ baggage: header }))).toEqual(['k0', 'k1', 'k2', 'k3']);
  });

  it('adds to baggage already in the context, header entries winning', () => {
    const base = withBaggage({ existing: 'e', shared: 'old' });
    expect(valuesOf({ baggage: 'shared=new,k=1' }, base)).toEqual({ existing: 'e', shared: 'new', k: '1' });
  });

  it('returns the same context without a header or valid members', () => {
    expect(extract(propagator, {})).toBe(ROOT_CONTEXT);
    expect(extract(propagator, { baggage: 'invalid' })).toBe(ROOT_CONTEXT);
  });
});

describe('baggage inject', () => {
  it('writes members in order, percent-encoding values that need it', () => {
    const ctx = withBaggage({ userId: 'alice', serverNode: 'DF 28', path: 'a/b=c' });
    expect(inject(propagator, ctx)).toEqual({ baggage: 'userId=alice,serverNode=DF%2028,path=a/b=c' });
  });

  it('round-trips values through encode and decode', () => {
    const values = {
      space: 'a b',
      comma: 'a,b',
      semicolon: 'a;b',
      percent: '100%',
      escaped: '%41',
      quote: 'say "hi"',
      backslash: 'a\\b',
      unicode: 'München 🚀',
      empty: '',
    };
    const carrier = inject(propagator, withBaggage(values));
    expect(valuesOf(carrier)).toEqual(values);
  });

  it('appends metadata as properties', () => {
    const ctx = withBaggage({ k: { value: 'v', metadata: 'p1; p2=x' } });
    expect(inject(propagator, ctx)).toEqual({ baggage: 'k=v;p1;p2=x' });
    const back = propagation.getBaggage(extract(propagator, inject(propagator, ctx)))!;
    expect(back.getEntry('k')?.metadata?.toString()).toBe('p1;p2=x');
  });

  it('drops malformed metadata but keeps the entry', () => {
    expect(inject(propagator, withBaggage({ k: { value: 'v', metadata: 'bad key' } }))).toEqual({ baggage: 'k=v' });
  });

  it('skips keys that are not tokens and values that cannot be encoded', () => {
    const ctx = withBaggage({ 'bad key': '1', ok: '2', lone: '\ud800' });
    expect(inject(propagator, ctx)).toEqual({ baggage: 'ok=2' });
  });

  it('writes at most 180 members', () => {
    const ctx = withBaggage(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'])));
    expect(inject(propagator, ctx).baggage!.split(',')).toHaveLength(180);
  });

  it('skips members over 4096 bytes and keeps the header within 8192', () => {
    const ctx = withBaggage({
      huge: 'x'.repeat(5000),
      a: 'x'.repeat(4000),
      b: 'x'.repeat(4000),
      c: 'x'.repeat(4000),
      small: 's',
    });
    const header = inject(propagator, ctx).baggage!;
    expect(header.length).toBeLessThanOrEqual(8192);
    expect(Object.keys(valuesOf({ baggage: header }))).toEqual(['a', 'b', 'small']);
  });

  it('injects nothing without baggage, with empty baggage, or when suppressed', () => {
    expect(inject(propagator, ROOT_CONTEXT)).toEqual({});
    expect(inject(propagator, withBaggage({}))).toEqual({});
    expect(inject(propagator, suppressTracing(withBaggage({ k: 'v' })))).toEqual({});
  });

  it('lists its header', () => {
    expect(propagator.fields()).toEqual(['baggage']);
  });
});
