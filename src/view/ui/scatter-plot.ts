import type { TraceSummary } from './api';
import { serviceColor } from './colors';
import { svg } from './dom';
import { clockTime, formatDuration, plural } from './format';

const HEIGHT = 190;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };
const ERROR_COLOR = '#dc2626';

/** Traces as dots: start time across, duration up; a dot's size grows with its span count; a click opens the trace. */
export function scatterPlot(traces: readonly TraceSummary[], width: number, onPick: (traceId: string) => void): SVGSVGElement {
  const plot = svg('svg', { class: 'scatter', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': 'Trace durations over time' });
  const innerW = Math.max(10, width - PAD.left - PAD.right);
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  let t0 = Math.min(...traces.map((t) => t.startMs));
  let t1 = Math.max(...traces.map((t) => t.startMs));
  if (!Number.isFinite(t0)) t0 = t1 = Date.now();
  if (t1 - t0 < 1000) {
    t0 -= 500;
    t1 += 500;
  }
  const span = t1 - t0;
  t0 -= span * 0.03;
  t1 += span * 0.03;
  const maxDur = niceCeiling(Math.max(1, ...traces.map((t) => t.durationNs)) * 1.08);
  const x = (ms: number): number => PAD.left + ((ms - t0) / (t1 - t0)) * innerW;
  const y = (ns: number): number => PAD.top + innerH - (ns / maxDur) * innerH;

  for (let i = 0; i <= 4; i++) {
    const v = (maxDur * i) / 4;
    plot.append(
      svg('line', { class: 'grid', x1: PAD.left, x2: PAD.left + innerW, y1: y(v), y2: y(v) }),
      svg('text', { class: 'axis-label', x: PAD.left - 8, y: y(v) + 4, 'text-anchor': 'end' }, i === 0 ? '0' : formatDuration(v)),
    );
  }
  for (let i = 0; i <= 4; i++) {
    const ms = t0 + ((t1 - t0) * i) / 4;
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    // Tenths of a second when the plot spans less than a minute, so no two labels read the same.
    plot.append(svg('text', { class: 'axis-label', x: x(ms), y: HEIGHT - 8, 'text-anchor': anchor }, clockTime(ms).slice(0, t1 - t0 < 60_000 ? 10 : 8)));
  }
  plot.append(svg('line', { class: 'axis', x1: PAD.left, x2: PAD.left + innerW, y1: y(0), y2: y(0) }));

  // Longest first, so short traces' dots stay on top and clickable.
  for (const t of [...traces].sort((a, b) => b.durationNs - a.durationNs)) {
    const r = 4 + Math.min(6, Math.log2(Math.max(1, t.spanCount)));
    const dot = svg(
      'circle',
      {
        class: t.errorCount ? 'dot dot-error' : 'dot',
        cx: x(t.startMs).toFixed(1),
        cy: y(t.durationNs).toFixed(1),
        r: r.toFixed(1),
        fill: t.errorCount ? ERROR_COLOR : serviceColor(t.rootService),
        'data-trace-id': t.traceId,
        tabindex: 0,
      },
      svg('title', {}, `${t.rootService}: ${t.rootName}\n${formatDuration(t.durationNs)} · ${plural(t.spanCount, 'span')}${t.errorCount ? ` · ${plural(t.errorCount, 'error')}` : ''} · ${clockTime(t.startMs)}`),
    );
    dot.addEventListener('click', () => onPick(t.traceId));
    dot.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') onPick(t.traceId);
    });
    plot.append(dot);
  }
  return plot;
}

/** 1, 2 or 5 times a power of ten, at least `v`. */
function niceCeiling(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
