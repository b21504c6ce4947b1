import { api, type ServiceMap } from './api';
import { learnServices, serviceColor } from './colors';
import { clear, el, link, svg } from './dom';
import { count, formatDuration, plural } from './format';
import type { Page } from './page';

/*
 * The service map (`/map`): services as boxes in columns by call depth, calls as arrows
 * labelled with their count, error rate and the called span's p50/p99, and the same
 * figures as a table.
 */

const NODE_W = 200;
const NODE_H = 64;
const COL_GAP = 300;
const ROW_GAP = 48;
const MARGIN = 24;

export function serviceMapPage(root: HTMLElement): Page {
  const box = el('div', { class: 'map-box card', attrs: { id: 'service-map' } }, el('div', { class: 'loading' }, 'Loading…'));
  const table = el('div', { class: 'map-table card' });
  root.append(
    el('div', { class: 'map-page' }, el('div', { class: 'page-head' }, el('h1', {}, 'Service map'), el('p', { class: 'muted' }, 'Calls between services, from spans whose parent belongs to another service.')), box, table),
  );
  let disposed = false;
  let shown = '';

  async function load(): Promise<void> {
    let map: ServiceMap;
    try {
      map = await api.serviceMap();
    } catch (err) {
      if (!disposed) box.replaceChildren(el('div', { class: 'empty' }, `The viewer did not answer (${(err as Error).message}).`));
      return;
    }
    const key = JSON.stringify(map);
    if (disposed || key === shown) return;
    shown = key;
    learnServices(map.services.map((s) => s.name));
    clear(box);
    clear(table);
    if (!map.services.length) {
      box.append(el('div', { class: 'empty' }, el('strong', {}, 'No services yet.'), el('p', {}, 'The map fills in as traces arrive.')));
      return;
    }
    box.append(drawMap(map));
    table.append(callTable(map));
  }
  void load();
  return { title: 'Service map', onStoreChange: () => void load(), dispose: () => (disposed = true) };
}

/** Columns by longest call chain from a service nobody calls (cycles cut after a bounded number of rounds). */
function layers(map: ServiceMap): Map<string, number> {
  const layer = new Map(map.services.map((s) => [s.name, 0]));
  for (let round = 0; round < map.services.length; round++) {
    let changed = false;
    for (const c of map.calls) {
      const want = (layer.get(c.from) ?? 0) + 1;
      if (c.from !== c.to && want > (layer.get(c.to) ?? 0) && want < map.services.length) {
        layer.set(c.to, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}

function drawMap(map: ServiceMap): SVGSVGElement {
  const layer = layers(map);
  const columns: string[][] = [];
  for (const s of map.services) (columns[layer.get(s.name)!] ??= []).push(s.name);
  const pos = new Map<string, { x: number; y: number }>();
  const tallest = Math.max(...columns.map((c) => c?.length ?? 0));
  const height = MARGIN * 2 + tallest * NODE_H + (tallest - 1) * ROW_GAP + 24;
  columns.forEach((names, col) => {
    const colHeight = names.length * NODE_H + (names.length - 1) * ROW_GAP;
    names.forEach((name, row) => pos.set(name, { x: MARGIN + col * (NODE_W + COL_GAP), y: (height - colHeight) / 2 + row * (NODE_H + ROW_GAP) }));
  });
  const width = MARGIN * 2 + columns.length * NODE_W + (columns.length - 1) * COL_GAP;
  const plot = svg(
    'svg',
    { class: 'service-map', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Service map' },
    svg('defs', {}, arrowHead('arrow', '#64748b'), arrowHead('arrow-error', '#dc2626')),
  );

  const maxCount = Math.max(1, ...map.calls.map((c) => c.count));
  for (const c of map.calls) {
    const a = pos.get(c.from);
    const b = pos.get(c.to);
    if (!a || !b) continue;
    const failing = c.errorCount > 0;
    let d: string;
    let mid: { x: number; y: number };
    if (b.x > a.x) {
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x - 4;
      const y2 = b.y + NODE_H / 2;
      const dx = (x2 - x1) / 2;
      d = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
      mid = { x: (x1 + x2) / 2, y: (y1 + y2) / 2 };
    } else {
      // A call back to an earlier column (or to itself): a loop under the boxes.
      const x1 = a.x + NODE_W / 2;
      const y1 = a.y + NODE_H;
      const x2 = b.x + NODE_W / 2 + 10;
      const y2 = b.y + NODE_H + 4;
      const low = Math.max(y1, y2) + 40;
      d = `M${x1},${y1} C${x1},${low} ${x2},${low} ${x2},${y2}`;
      mid = { x: (x1 + x2) / 2, y: low - 10 };
    }
    const strokeWidth = 1.5 + 3 * (Math.log(1 + c.count) / Math.log(1 + maxCount));
    plot.append(
      svg(
        'g',
        { class: failing ? 'edge edge-error' : 'edge', 'data-from': c.from, 'data-to': c.to },
        svg('path', { d, fill: 'none', stroke: failing ? '#dc2626' : '#64748b', 'stroke-width': strokeWidth.toFixed(1), 'marker-end': `url(#${failing ? 'arrow-error' : 'arrow'})` }),
        svg('text', { class: 'edge-label', x: mid.x, y: mid.y - 8, 'text-anchor': 'middle' }, `${plural(c.count, 'call')}${failing ? ` · ${Math.round(c.errorRate * 100)}% errors` : ''}`),
        svg('text', { class: 'edge-label muted', x: mid.x, y: mid.y + 8, 'text-anchor': 'middle' }, `p50 ${formatDuration(c.p50Ns)} · p99 ${formatDuration(c.p99Ns)}`),
      ),
    );
  }

  for (const s of map.services) {
    const p = pos.get(s.name)!;
    const anchor = svg('a', { href: `/search?service=${encodeURIComponent(s.name)}`, 'data-nav': '' });
    anchor.append(
      svg('rect', { class: 'node-box', x: p.x, y: p.y, width: NODE_W, height: NODE_H, rx: 8 }),
      svg('rect', { x: p.x, y: p.y, width: 6, height: NODE_H, rx: 3, fill: serviceColor(s.name) }),
      svg('text', { class: 'node-name', x: p.x + 18, y: p.y + 26 }, clip(s.name, 22)),
      svg('text', { class: s.errorCount ? 'node-sub node-sub-error' : 'node-sub', x: p.x + 18, y: p.y + 46 }, `${plural(s.spanCount, 'span')}${s.errorCount ? ` · ${plural(s.errorCount, 'error')}` : ''}`),
      svg('title', {}, `${s.name}: search its traces`),
    );
    plot.append(svg('g', { class: 'node', 'data-service': s.name }, anchor));
  }
  return plot;
}

function arrowHead(id: string, color: string): SVGMarkerElement {
  return svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: color }));
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function callTable(map: ServiceMap): HTMLElement {
  if (!map.calls.length) return el('p', { class: 'muted' }, 'No calls between services yet.');
  const head = ['From', 'To', 'Calls', 'Errors', 'Error rate', 'p50', 'p99'];
  return el(
    'table',
    { class: 'data-table', attrs: { id: 'calls-table' } },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el(
      'tbody',
      {},
      ...map.calls.map((c) =>
        el(
          'tr',
          { class: c.errorCount ? 'has-error' : '' },
          el('td', {}, link(`/search?service=${encodeURIComponent(c.from)}`, {}, c.from)),
          el('td', {}, link(`/search?service=${encodeURIComponent(c.to)}`, {}, c.to)),
          el('td', { class: 'num' }, count(c.count)),
          el('td', { class: 'num' }, count(c.errorCount)),
          el('td', { class: 'num' }, `${(c.errorRate * 100).toFixed(c.errorRate > 0 && c.errorRate < 0.01 ? 2 : 0)}%`),
          el('td', { class: 'num' }, formatDuration(c.p50Ns)),
          el('td', { class: 'num' }, formatDuration(c.p99Ns)),
        ),
      ),
    ),
  );
}
