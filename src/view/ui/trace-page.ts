import { api, ApiError } from './api';
import { learnServices } from './colors';
import { clear, el, link } from './dom';
import { count, dateTime, formatDuration, plural } from './format';
import type { Page } from './page';
import { serviceChip } from './search-page';
import { spanDetail } from './span-detail';
import { ancestors, buildModel, findNodes, type SpanNode, type TraceModel } from './trace-model';
import { Waterfall } from './waterfall';

/*
 * The trace page (`/trace/<traceId>`): a summary with the critical path's bottleneck, the
 * waterfall, find-in-trace, and the selected span's detail. Keys: j/k or ↓/↑ move, ←/→
 * fold and unfold (or go to the parent / first child), Enter shows or hides the detail,
 * Esc closes it, / finds.
 */

export function tracePage(root: HTMLElement, traceId: string): Page {
  const page: Page = { title: `Trace ${traceId.slice(0, 7)}` };
  const body = el('div', { class: 'trace-page', attrs: { 'data-state': 'loading' } }, el('div', { class: 'loading' }, 'Loading trace…'));
  root.append(body);
  let disposed = false;
  let shownSpans = -1;
  let view: ReturnType<typeof mount> | undefined;

  async function load(): Promise<void> {
    try {
      // Marks for bench/viewer.mjs: where opening a large trace spends its time.
      performance.mark('trace:request');
      const { spans } = await api.trace(traceId);
      performance.mark('trace:received');
      if (disposed || spans.length === shownSpans) return;
      const keep = view?.state();
      shownSpans = spans.length;
      const model = buildModel(spans);
      performance.mark('trace:model');
      clear(body);
      view?.dispose();
      view = mount(body, model, keep);
      body.dataset.state = 'ready';
      performance.mark('trace:drawn');
    } catch (err) {
      if (disposed || view) return;
      clear(body);
      body.dataset.state = 'error';
      const missing = err instanceof ApiError && err.status === 404;
      body.append(
        el(
          'div',
          { class: 'card empty' },
          el('strong', {}, missing ? `Trace ${traceId} is not here.` : 'The trace could not be loaded.'),
          el('p', {}, missing ? 'It was never received by this viewer, or it was evicted (--max-spans). Spans that arrive later appear here on their own.' : (err as Error).message),
          link('/search', {}, 'Back to search'),
        ),
      );
    }
  }
  void load();
  // Spans of this trace may still arrive: fetch it again only when its span count changed.
  page.onStoreChange = () =>
    void api.traceSummary(traceId).then(
      (s) => (s.spanCount !== shownSpans ? load() : undefined),
      () => undefined,
    );
  page.onResize = () => view?.resize();
  page.dispose = () => {
    disposed = true;
    view?.dispose();
  };
  return page;
}

interface ViewState {
  collapsed: string[];
  selected: string | undefined;
  detailOpen: boolean;
  find: string;
}

function mount(body: HTMLElement, model: TraceModel, keep: ViewState | undefined) {
  const { tree, root, path } = model;
  learnServices(tree.services);
  let selected: SpanNode | undefined = keep?.selected ? model.byId.get(keep.selected) : undefined;
  let detailOpen = keep?.detailOpen ?? false;
  let matches: SpanNode[] = [];
  let matchAt = -1;

  const waterfall = new Waterfall(model, {
    onSelect: (node) => {
      if (node === selected && detailOpen) detailOpen = false;
      else {
        selected = node;
        detailOpen = true;
      }
      update();
    },
    onToggle: (node) => toggle(node),
  });
  if (keep) waterfall.setCollapsed(new Set(keep.collapsed.map((id) => model.byId.get(id)).filter((n): n is SpanNode => n !== undefined)));

  const findInput = el('input', { attrs: { type: 'search', id: 'find-in-trace', placeholder: 'Find in trace…  ( / )', spellcheck: 'false', 'aria-label': 'Find in trace' } });
  const findCount = el('span', { class: 'find-count', attrs: { id: 'find-count' } });
  const detailBox = el('div', { class: 'detail-box' });
  const layout = el('div', { class: 'trace-layout' }, waterfall.element, detailBox);

  const bottleneck = path?.bottleneck;
  const rootDuration = root ? root.end - root.start : tree.durationNs;
  const bottleneckSelf = bottleneck ? (path!.selfNs.get(bottleneck) ?? 0) : 0;
  const callout =
    bottleneck && path!.nodes.size > 1
      ? el(
          'button',
          { class: 'callout', attrs: { type: 'button', id: 'bottleneck-callout' }, title: 'Show the bottleneck span', on: { click: () => selectNode(bottleneck, true) } },
          el('span', { class: 'callout-label' }, 'Bottleneck'),
          el('span', { class: 'callout-span' }, `${bottleneck.span.service} · ${bottleneck.span.name}`),
          el('span', {}, `${formatDuration(bottleneckSelf)} self, ${rootDuration > 0 ? Math.round((bottleneckSelf / rootDuration) * 100) : 0}% of the ${formatDuration(rootDuration)} critical path`),
        )
      : null;

  const meta: Array<[string, string]> = [
    ['Trace start', dateTime(Number(tree.startUnixNano / 1_000_000n))],
    ['Duration', formatDuration(tree.durationNs)],
    ['Services', String(tree.services.length)],
    ['Depth', String(model.maxDepth + 1)],
    ['Total spans', count(tree.spanCount)],
  ];
  const header = el(
    'div',
    { class: 'trace-header card' },
    el(
      'div',
      { class: 'trace-title-row' },
      el(
        'h1',
        { class: 'trace-title' },
        el('span', { class: 'trace-title-service' }, root?.span.service ?? '?'),
        el('span', {}, root?.span.name || '(unnamed)'),
        el('span', { class: 'trace-id mono', title: tree.traceId }, tree.traceId),
      ),
      tree.errorCount ? el('span', { class: 'error-mark big', attrs: { id: 'trace-errors' } }, `✗ ${plural(tree.errorCount, 'error')}`) : null,
    ),
    el('dl', { class: 'trace-meta' }, ...meta.flatMap(([k, v]) => [el('div', {}, el('dt', {}, k), el('dd', {}, v))])),
    el('div', { class: 'legend' }, ...tree.services.map((s) => serviceChip(s)), tree.hasRoot ? null : el('span', { class: 'muted' }, 'root span not received (yet)')),
    callout,
    el(
      'div',
      { class: 'toolbar' },
      findInput,
      findCount,
      el('button', { attrs: { type: 'button' }, on: { click: () => stepMatch(-1) } }, '↑'),
      el('button', { attrs: { type: 'button' }, on: { click: () => stepMatch(1) } }, '↓'),
      el('span', { class: 'spacer' }),
      el('span', { class: 'legend-item' }, el('span', { class: 'cp-legend' }), 'critical path'),
      el('button', { attrs: { type: 'button', id: 'collapse-all' }, on: { click: () => setCollapsedAll(true) } }, 'Collapse all'),
      el('button', { attrs: { type: 'button', id: 'expand-all' }, on: { click: () => setCollapsedAll(false) } }, 'Expand all'),
      el('span', { class: 'keys muted small', title: 'j/k or ↓/↑ move · ←/→ fold · Enter detail · Esc close · / find' }, 'j/k ↑↓ ←→ Enter'),
    ),
  );
  body.append(header, layout);
  document.title = `${root?.span.service ?? ''}: ${root?.span.name ?? ''} · Waymark`;

  function update(): void {
    waterfall.select(selected);
    clear(detailBox);
    layout.classList.toggle('with-detail', detailOpen && selected !== undefined);
    if (detailOpen && selected) detailBox.append(spanDetail(selected, model, { close: closeDetail, select: (n) => selectNode(n, true) }));
  }

  function closeDetail(): void {
    detailOpen = false;
    update();
  }

  function selectNode(node: SpanNode, open: boolean): void {
    reveal(node);
    selected = node;
    if (open) detailOpen = true;
    update();
  }

  /** Unfolds the node's ancestors so its row is shown. */
  function reveal(...nodes: SpanNode[]): void {
    const collapsed = new Set(waterfall.collapsed);
    let changed = false;
    for (const n of nodes) for (const a of ancestors(model, n)) changed = collapsed.delete(a) || changed;
    if (changed) waterfall.setCollapsed(collapsed);
  }

  function toggle(node: SpanNode): void {
    const collapsed = new Set(waterfall.collapsed);
    if (!collapsed.delete(node)) collapsed.add(node);
    waterfall.setCollapsed(collapsed);
  }

  function setCollapsedAll(fold: boolean): void {
    waterfall.setCollapsed(fold ? new Set(model.all.filter((n) => n.children.length && model.parent.get(n) !== undefined)) : new Set());
    if (selected && !waterfall.rows.includes(selected)) selected = undefined;
    update();
  }

  function find(): void {
    matches = findNodes(model, findInput.value);
    matchAt = matches.length ? 0 : -1;
    reveal(...matches);
    waterfall.setMatches(new Set(matches));
    showMatch();
  }

  function stepMatch(step: number): void {
    if (!matches.length) return;
    matchAt = (matchAt + step + matches.length) % matches.length;
    showMatch();
  }

  function showMatch(): void {
    findCount.textContent = findInput.value.trim() ? (matches.length ? `${matchAt + 1} of ${matches.length}` : 'no match') : '';
    if (matchAt >= 0) {
      selected = matches[matchAt];
      update();
    }
  }

  findInput.addEventListener('input', find);
  findInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      stepMatch(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape') findInput.blur();
  });

  function onKey(e: KeyboardEvent): void {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement;
    if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
    const rows = waterfall.rows;
    const at = selected ? rows.indexOf(selected) : -1;
    const move = (i: number): void => {
      selected = rows[Math.max(0, Math.min(rows.length - 1, i))];
      update();
    };
    switch (e.key) {
      case 'j':
      case 'ArrowDown':
        move(at + 1);
        break;
      case 'k':
      case 'ArrowUp':
        move(at < 0 ? 0 : at - 1);
        break;
      case 'ArrowLeft':
      case 'h':
        if (!selected) return;
        if (selected.children.length && !waterfall.collapsed.has(selected)) toggle(selected);
        else {
          const parent = model.parent.get(selected);
          if (parent) selected = parent;
        }
        update();
        break;
      case 'ArrowRight':
      case 'l':
        if (!selected) return;
        if (waterfall.collapsed.has(selected)) toggle(selected);
        else if (selected.children.length) selected = selected.children[0];
        update();
        break;
      case 'Enter':
        if (!selected) move(0);
        detailOpen = !detailOpen;
        update();
        break;
      case 'Escape':
        detailOpen = false;
        update();
        break;
      case '/':
        findInput.focus();
        break;
      default:
        return;
    }
    e.preventDefault();
  }
  document.addEventListener('keydown', onKey);

  if (keep?.find) {
    findInput.value = keep.find;
    find();
  }
  update();

  return {
    resize: () => waterfall.render(),
    dispose: () => document.removeEventListener('keydown', onKey),
    state: (): ViewState => ({ collapsed: [...waterfall.collapsed].map((n) => n.span.spanId), selected: selected?.span.spanId, detailOpen, find: findInput.value }),
  };
}
