import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/view/duration';

describe('formatDuration', () => {
  it.each([
    [0, '0 ns'],
    [812, '812 ns'],
    [1_000, '1.00 µs'],
    [500_000, '500 µs'],
    [4_200_000, '4.20 ms'],
    [14_000_000, '14.0 ms'],
    [999_600_000, '1.00 s'],
    [1_530_000_000, '1.53 s'],
    [12_340_000_000, '12.3 s'],
    [59_400_000_000, '59.4 s'],
    [125_000_000_000, '2 min 05 s'],
  ])('%d ns → %s', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });

  it('says ? for impossible values', () => {
    expect(formatDuration(-1)).toBe('?');
    expect(formatDuration(NaN)).toBe('?');
  });
});

describe('parseDuration', () => {
  it.each([
    ['1s', 1e9],
    ['1.5s', 1.5e9],
    ['250ms', 250e6],
    ['100us', 100e3],
    ['100µs', 100e3],
    ['2m', 120e9],
    ['3 min', 180e9],
    ['1h', 3600e9],
    ['7ns', 7],
  ])('%s → %d ns', (text, ns) => {
    expect(parseDuration(text)).toBe(ns);
  });

  it.each(['', '1', 'fast', '-1s', '1 parsec', 's'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
