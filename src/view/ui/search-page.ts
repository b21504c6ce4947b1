import { api, ApiError, type ServiceInfo, type TraceSummary } from './api';
import { learnServices, serviceColor } from './colors';
import { clear, el, link } from './dom';
import { ago, clockTime, count, formatDuration, plural } from './format';
import type { Page } from './page';
import { navigate, tracePath } from './router';
import { scatterPlot } from './scatter-plot';

/*
 * The search page: the tutorial's questions (a service, duration over 1 s, errors) as a
 * form whose state is the address (`/search?service=users&minDuration=1s`), a scatter
 * plot of durations over time, and the matching traces.
 */

const LOOKBACKS: Array<[string, string]> = [
  ['all', 'All time'],
  ['5m', 'Last 5 minutes'],
  ['15m', 'Last 15 minutes'],
  ['1h', 'Last hour'],
  ['6h', 'Last 6 hours'],
  ['24h', 'Last 24 hours'],
];

const SORTS: Array<[string, string, (a: TraceSummary, b: TraceSummary) => number]> = [
  ['recent', 'Most recent', (a, b) => b.startMs - a.startMs],
  ['longest', 'Longest first', (a, b) => b.durationNs - a.durationNs],
  ['shortest', 'Shortest first', (a, b) => a.durationNs - b.durationNs],
  ['spans', 'Most spans', (a, b) => b.spanCount - a.spanCount],
  ['errors', 'Most errors', (a, b) => b.errorCount - a.errorCount || b.startMs - a.startMs],
];

const FIELDS = ['service', 'operation', 'tags', 'lookback', 'minDuration', 'maxDuration', 'limit'] as const;

export function searchPage(root: HTMLElement): Page {
  const params = new URLSearchParams(location.search);
  const service = el('select', { attrs: { name: 'service', id: 'f-service' } });
  const operation = el('select', { attrs: { name: 'operation', id: 'f-operation' } });
  const tags = el('input', { attrs: { name: 'tags', id: 'f-tags', type: 'text', placeholder: 'error=true http.route=/users/:id', spellcheck: 'false' } });
  const lookback = el('select', { attrs: { name: 'lookback', id: 'f-lookback' } }, ...LOOKBACKS.map(([v, label]) => el('option', { attrs: { value: v } }, label)));
  const minDuration = el('input', { attrs: { name: 'minDuration', id: 'f-min', type: 'text', placeholder: 'e.g. 1s', spellcheck: 'false' } });
  const maxDuration = el('input', { attrs: { name: 'maxDuration', id: 'f-max', type: 'text', placeholder: 'e.g. 500ms', spellcheck: 'false' } });
  const limit = el('input', { attrs: { name: 'limit', id: 'f-limit', type: 'number', min: '1', max: '10000', value: '20' } });
  const sort = el('select', { attrs: { 'aria-label': 'Sort' } }, ...SORTS.map(([v, label]) => el('option', { attrs: { value: v } }, label)));
  const message = el('div', { class: 'form-message', attrs: { role: 'status' } });
  const plotBox = el('div', { class: 'plot-box' });
  const resultsHead = el('div', { class: 'results-head' });
  const list = el('ol', { class: 'results', attrs: { id: 'results' } });

  let services: ServiceInfo[] = [];
  let results: TraceSummary[] = [];
  let total = 0;
  let disposed = false;

  const field = (label: string, input: HTMLElement, hint?: string): HTMLElement =>
    el('label', { class: 'field' }, el('span', { class: 'field-label' }, label), input, hint ? el('span', { class: 'field-hint' }, hint) : null);

  const form = el(
    'form',
    { class: 'search-form card', attrs: { id: 'search-form', autocomplete: 'off' }, on: { submit: (e) => (e.preventDefault(), submit()) } },
    el('h2', {}, 'Search'),
    field('Service', service),
    field('Operation', operation),
    field('Tags', tags, 'key=value, space separated; error=true finds failed spans'),
    field('Lookback', lookback),
    el('div', { class: 'field-row' }, field('Min duration', minDuration), field('Max duration', maxDuration)),
    field('Limit results', limit),
    el('button', { class: 'primary', attrs: { type: 'submit', id: 'find-traces' } }, 'Find traces'),
    message,
    el(
      'div',
      { class: 'quick' },
      el('span', { class: 'field-label' }, 'Quick searches'),
      quick('Slower than 1 s', { minDuration: '1s' }),
      quick('With errors', { tags: 'error=true' }),
      quick('Everything', {}),
    ),
  );

  function quick(label: string, values: Record<string, string>): HTMLElement {
    return el('button', { class: 'chip-button', attrs: { type: 'button' }, on: { click: () => (setForm(new URLSearchParams({ service: service.value, ...values })), submit()) } }, label);
  }

  root.append(
    el(
      'div',
      { class: 'search-layout' },
      form,
      el('section', { class: 'search-results' }, el('div', { class: 'card plot-card' }, el('div', { class: 'card-title' }, 'Duration over time'), plotBox), resultsHead, list),
    ),
  );
  sort.addEventListener('change', () => renderResults());

  function fillServices(selected: string): void {
    clear(service);
    service.append(el('option', { attrs: { value: '' } }, 'All services'), ...services.map((s) => el('option', { attrs: { value: s.name } }, s.name)));
    service.value = services.some((s) => s.name === selected) ? selected : '';
  }

  function fillOperations(selected: string): void {
    clear(operation);
    const ops = services.find((s) => s.name === service.value)?.operations ?? [];
    operation.append(el('option', { attrs: { value: '' } }, 'All operations'), ...ops.map((o) => el('option', { attrs: { value: o } }, o)));
    operation.value = ops.includes(selected) ? selected : '';
    operation.disabled = !service.value;
  }
  service.addEventListener('change', () => fillOperations(''));

  function setForm(p: URLSearchParams): void {
    fillServices(p.get('service') ?? '');
    fillOperations(p.get('operation') ?? '');
    tags.value = p.get('tags') ?? '';
    lookback.value = LOOKBACKS.some(([v]) => v === p.get('lookback')) ? p.get('lookback')! : 'all';
    minDuration.value = p.get('minDuration') ?? '';
    maxDuration.value = p.get('maxDuration') ?? '';
    limit.value = p.get('limit') ?? '20';
  }

  function formParams(): URLSearchParams {
    const p = new URLSearchParams();
    const values: Record<(typeof FIELDS)[number], string> = {
      service: service.value,
      operation: operation.value,
      tags: tags.value.trim(),
      lookback: lookback.value === 'all' ? '' : lookback.value,
      minDuration: minDuration.value.trim(),
      maxDuration: maxDuration.value.trim(),
      limit: limit.value === '20' ? '' : limit.value,
    };
    for (const k of FIELDS) if (values[k]) p.set(k, values[k]);
    return p;
  }

  function submit(): void {
    const p = formParams();
    const path = `/search${p.size ? `?${p}` : ''}`;
    if (path !== location.pathname + location.search) history.pushState(null, '', path);
    void run();
  }

  async function run(): Promise<void> {
    const p = formParams();
    if (!p.has('limit')) p.set('limit', '20');
    try {
      const found = await api.searchTraces(p);
      if (disposed) return;
      results = found.data;
      total = found.total;
      message.textContent = '';
      message.classList.remove('error');
    } catch (err) {
      if (disposed) return;
      message.textContent = err instanceof ApiError ? err.message : `The viewer did not answer (${(err as Error).message}).`;
      message.classList.add('error');
      results = [];
      total = 0;
    }
    renderResults();
  }

  function renderResults(): void {
    const cmp = SORTS.find(([v]) => v === sort.value)?.[2] ?? SORTS[0]![2];
    const sorted = [...results].sort(cmp);
    learnServices(sorted.flatMap((t) => t.services.map((s) => s.name)));
    clear(plotBox);
    if (sorted.length) plotBox.append(scatterPlot(sorted, Math.max(300, plotBox.clientWidth || 800), (id) => navigate(tracePath(id))));
    else plotBox.append(el('div', { class: 'empty-plot' }, 'No traces to plot'));
    clear(resultsHead);
    resultsHead.append(
      el('span', { class: 'results-count', attrs: { id: 'results-count' } }, total > sorted.length ? `${count(sorted.length)} of ${plural(total, 'trace')}` : plural(sorted.length, 'trace')),
      el('label', { class: 'sort' }, 'Sort ', sort),
    );
    clear(list);
    if (!sorted.length) {
      list.append(
        el(
          'li',
          { class: 'empty' },
          el('strong', {}, 'No matching traces.'),
          el('p', {}, 'Point a service at this viewer with OTEL_EXPORTER_OTLP_ENDPOINT (see the terminal), or widen the search; new traces appear here as they arrive.'),
        ),
      );
      return;
    }
    const longest = Math.max(...sorted.map((t) => t.durationNs), 1);
    for (const t of sorted) list.append(resultItem(t, longest));
  }

  function resultItem(t: TraceSummary, longest: number): HTMLElement {
    const bar = el('div', { class: 'result-bar-fill' });
    bar.style.width = `${Math.max(0.5, (t.durationNs / longest) * 100)}%`;
    bar.style.background = serviceColor(t.rootService);
    return el(
      'li',
      { class: t.errorCount ? 'result has-error' : 'result', attrs: { 'data-trace-id': t.traceId } },
      link(
        tracePath(t.traceId),
        { class: 'result-link' },
        el(
          'div',
          { class: 'result-head' },
          el('span', { class: 'result-title' }, el('span', { class: 'result-service' }, t.rootService || '?'), el('span', { class: 'result-name' }, t.rootName || '(unnamed)')),
          el('span', { class: 'result-id mono' }, t.traceId.slice(0, 7)),
          el('span', { class: 'result-duration' }, formatDuration(t.durationNs)),
        ),
        el('div', { class: 'result-bar' }, bar),
        el(
          'div',
          { class: 'result-meta' },
          el('span', { class: 'chips' }, ...t.services.map((s) => serviceChip(s.name, s.spanCount))),
          t.errorCount ? el('span', { class: 'error-mark', title: 'spans with status ERROR' }, `✗ ${plural(t.errorCount, 'error')}`) : null,
          t.hasRoot ? null : el('span', { class: 'muted', title: 'the root span has not arrived (yet)' }, 'no root span'),
          el('span', { class: 'result-spans' }, plural(t.spanCount, 'span')),
          el('span', { class: 'result-time', title: new Date(t.startMs).toString() }, `${clockTime(t.startMs)} · ${ago(t.startMs)}`),
        ),
      ),
    );
  }

  async function loadServices(): Promise<void> {
    try {
      services = await api.services();
    } catch {
      services = [];
    }
    if (disposed) return;
    learnServices(services.map((s) => s.name));
    const chosenService = service.value || params.get('service') || '';
    const chosenOperation = operation.value || params.get('operation') || '';
    fillServices(chosenService);
    fillOperations(chosenOperation);
  }

  setForm(params);
  void loadServices().then(run);

  return {
    title: 'Search',
    onStoreChange: () => void loadServices().then(run),
    onResize: () => renderResults(),
    dispose: () => (disposed = true),
  };
}

/** A service with its span count, in the service's colour. */
export function serviceChip(name: string, spans?: number): HTMLElement {
  const dot = el('span', { class: 'dot' });
  dot.style.background = serviceColor(name);
  return el('span', { class: 'chip' }, dot, name, spans !== undefined ? el('span', { class: 'chip-count' }, String(spans)) : null);
}
