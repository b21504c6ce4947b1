import { serviceColor } from './colors';
import { clear, el } from './dom';
import { formatDuration } from './format';
import { visibleNodes, type SpanNode, type TraceModel } from './trace-model';

/*
 * The waterfall: one row per span (the tree, foldable) beside its bar on the trace's
 * timeline, the critical path drawn over the bars and the bottleneck marked. Rows are
 * virtualized: only those in view (and a margin) exist in the DOM, so a trace of tens of
 * thousands of spans scrolls like a small one.
 */

export const ROW_HEIGHT = 28;
const OVERSCAN = 12;
const INDENT_PX = 14;
/** Deeper levels are drawn at this indentation: a pathological chain must not push names out of view. */
const MAX_INDENT_LEVELS = 24;

export interface WaterfallEvents {
  onSelect(node: SpanNode): void;
  onToggle(node: SpanNode): void;
}

export class Waterfall {
  readonly element: HTMLElement;
  readonly #model: TraceModel;
  readonly #events: WaterfallEvents;
  readonly #scroller: HTMLElement;
  readonly #spacer: HTMLElement;
  #rows: SpanNode[] = [];
  #index = new Map<SpanNode, number>();
  #collapsed = new Set<SpanNode>();
  #matches = new Set<SpanNode>();
  #selected: SpanNode | undefined;
  #frame = 0;

  constructor(model: TraceModel, events: WaterfallEvents) {
    this.#model = model;
    this.#events = events;
    this.#spacer = el('div', { class: 'wf-spacer' });
    this.#scroller = el('div', { class: 'wf-scroll', attrs: { id: 'waterfall-rows', role: 'tree', 'aria-label': 'Spans' } }, this.#spacer);
    this.#scroller.addEventListener('scroll', () => this.#schedule());
    this.#spacer.addEventListener('click', (e) => this.#click(e));
    this.element = el('div', { class: 'waterfall card' }, this.#header(), this.#scroller);
    this.#layout();
  }

  get rows(): readonly SpanNode[] {
    return this.#rows;
  }

  get collapsed(): ReadonlySet<SpanNode> {
    return this.#collapsed;
  }

  setCollapsed(collapsed: Set<SpanNode>): void {
    this.#collapsed = collapsed;
    this.#layout();
  }

  setMatches(matches: Set<SpanNode>): void {
    this.#matches = matches;
    this.render();
  }

  select(node: SpanNode | undefined): void {
    this.#selected = node;
    if (node) this.scrollTo(node);
    this.render();
  }

  /** Brings a visible node's row into view. */
  scrollTo(node: SpanNode): void {
    const i = this.#index.get(node);
    if (i === undefined) return;
    const top = i * ROW_HEIGHT;
    const view = this.#scroller.clientHeight;
    if (top < this.#scroller.scrollTop) this.#scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.#scroller.scrollTop + view) this.#scroller.scrollTop = top + ROW_HEIGHT - view;
  }

  #layout(): void {
    this.#rows = visibleNodes(this.#model, this.#collapsed);
    this.#index = new Map(this.#rows.map((n, i) => [n, i]));
    this.#spacer.style.height = `${this.#rows.length * ROW_HEIGHT}px`;
    this.render();
  }

  #schedule(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.render();
    });
  }

  /** Draws the rows in view. */
  render(): void {
    const top = this.#scroller.scrollTop;
    const height = this.#scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.#rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) frag.append(this.#row(this.#rows[i]!, i));
    clear(this.#spacer);
    this.#spacer.append(frag);
  }

  #header(): HTMLElement {
    const total = this.#model.tree.durationNs;
    const ticks = el('div', { class: 'wf-ticks' });
    for (let i = 0; i <= 4; i++) {
      const t = el('span', { class: 'wf-tick' }, i === 0 ? '0' : formatDuration((total * i) / 4));
      t.style.left = `${i * 25}%`;
      if (i === 4) t.classList.add('wf-tick-last');
      ticks.append(t);
    }
    return el('div', { class: 'wf-header' }, el('div', { class: 'wf-name-col' }, 'Service & operation'), el('div', { class: 'wf-time-col' }, ticks));
  }

  #row(node: SpanNode, i: number): HTMLElement {
    const { span } = node;
    const model = this.#model;
    const total = model.tree.durationNs || 1;
    const color = serviceColor(span.service);
    const depth = model.depth.get(node) ?? 0;
    const onPath = model.path?.nodes.has(node) ?? false;
    const isBottleneck = model.path !== undefined && node === model.path.bottleneck && model.path.nodes.size > 1;
    const failed = span.status.code === 2;

    const classes = ['wf-row'];
    if (node === this.#selected) classes.push('selected');
    if (this.#matches.has(node)) classes.push('match');
    if (onPath) classes.push('on-critical-path');
    if (isBottleneck) classes.push('is-bottleneck');
    if (failed) classes.push('has-error');

    const toggle = node.children.length
      ? el('button', { class: 'toggle', title: this.#collapsed.has(node) ? 'Expand' : 'Collapse', attrs: { type: 'button', tabindex: '-1', 'data-toggle': '' } }, this.#collapsed.has(node) ? '▸' : '▾')
      : el('span', { class: 'toggle-spacer' });
    const swatch = el('span', { class: 'svc-swatch' });
    swatch.style.background = color;
    const name = el(
      'div',
      { class: 'wf-name' },
      toggle,
      swatch,
      el('span', { class: 'wf-service' }, span.service),
      el('span', { class: 'wf-op', title: span.name }, span.name || '(unnamed)'),
      node.children.length && this.#collapsed.has(node) ? el('span', { class: 'wf-hidden-count' }, `+${descendantCount(node)}`) : null,
      failed ? el('span', { class: 'err-icon', title: span.status.message || 'error' }, '!') : null,
      isBottleneck
        ? el('span', { class: 'badge bottleneck-badge', title: 'the span with the most time of its own on the critical path' }, `BOTTLENECK ${formatDuration(model.path!.selfNs.get(node) ?? 0)} self`)
        : null,
      node.orphan ? el('span', { class: 'muted small', title: 'its parent span was not received' }, 'orphan') : null,
    );
    name.style.paddingLeft = `${6 + Math.min(depth, MAX_INDENT_LEVELS) * INDENT_PX}px`;

    const left = (node.start / total) * 100;
    const width = ((node.end - node.start) / total) * 100;
    const bar = el('div', { class: 'wf-bar' });
    bar.style.left = `${left}%`;
    bar.style.width = `max(2px, ${width}%)`;
    bar.style.background = color;
    for (const [s, e] of model.pathSegments.get(node) ?? []) {
      const seg = el('div', { class: 'cp-seg' });
      const len = node.end - node.start || 1;
      seg.style.left = `${((s - node.start) / len) * 100}%`;
      seg.style.width = `max(1px, ${((e - s) / len) * 100}%)`;
      bar.append(seg);
    }
    const label = el('span', { class: 'wf-label' }, formatDuration(node.end - node.start));
    // After the bar: the timeline keeps a margin on its right for the longest of these.
    label.style.left = `${left + width}%`;
    const timeline = el('div', { class: 'wf-timeline' }, bar, label);

    const row = el(
      'div',
      { class: classes.join(' '), attrs: { 'data-span-id': span.spanId, 'data-index': String(i), role: 'treeitem', 'aria-level': String(depth + 1), 'aria-selected': String(node === this.#selected) } },
      name,
      timeline,
    );
    row.style.top = `${i * ROW_HEIGHT}px`;
    return row;
  }

  #click(e: MouseEvent): void {
    const target = e.target as Element;
    const row = target.closest<HTMLElement>('.wf-row');
    if (!row) return;
    const node = this.#rows[Number(row.dataset.index)];
    if (!node) return;
    if (target.closest('[data-toggle]')) this.#events.onToggle(node);
    else this.#events.onSelect(node);
  }
}

function descendantCount(node: SpanNode): number {
  let n = 0;
  const stack = [...node.children];
  while (stack.length) {
    const c = stack.pop()!;
    n++;
    stack.push(...c.children);
  }
  return n;
}
