/** Durations are nanosecond numbers; these turn them into short text and back. */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['s', 1e9],
  ['ms', 1e6],
  ['µs', 1e3],
];

/** Three significant digits in the largest fitting unit: `812 ns`, `4.20 ms`, `1.53 s`, `2 min 05 s`. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return '?';
  if (ns >= 60e9) {
    const totalSeconds = Math.round(ns / 1e9);
    return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
  }
  // Round first, so 999.6 ms prints as 1.00 s rather than 1000 ms.
  const rounded = ns < 1000 ? Math.round(ns) : Number(ns.toPrecision(3));
  for (const [unit, size] of UNITS) {
    if (rounded >= size) return `${significant(rounded / size)} ${unit}`;
  }
  return `${rounded} ns`;
}

function significant(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

const PARSE_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, min: 60e9, h: 3600e9 };

/** Parses `1s`, `250ms`, `1.5s`, `2m`, `100us`; undefined for anything else (a unit is required). */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|min|h)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * PARSE_UNITS[m[2]!]!;
}
