import { SPAN_KIND_NAMES, type Attrs, type ViewEvent, type ViewSpan } from '../view-span';
import { serviceColor } from './colors';
import { el, link } from './dom';
import { formatDuration, valueText } from './format';
import { selfTimeNs, type SpanNode, type TraceModel } from './trace-model';
import { tracePath } from './router';
import { unixNanos } from '../trace-tree';

/** The selected span in full: status, attributes, events (exceptions first-class), links, resource, ids. */
export function spanDetail(node: SpanNode, model: TraceModel, actions: { close(): void; select(node: SpanNode): void }): HTMLElement {
  const { span } = node;
  const failed = span.status.code === 2;
  const onPath = model.path?.selfNs.get(node);
  const swatch = el('span', { class: 'svc-swatch' });
  swatch.style.background = serviceColor(span.service);
  const traceStart = model.tree.startUnixNano;

  const facts: Array<[string, string]> = [
    ['Service', span.service],
    ['Duration', formatDuration(node.end - node.start)],
    ['Start', `+${formatDuration(node.start)}`],
    ['Self time', formatDuration(selfTimeNs(node))],
    ['Kind', SPAN_KIND_NAMES[span.kind] ?? String(span.kind)],
  ];
  if (onPath !== undefined) facts.push(['Critical path', `${formatDuration(onPath)} self`]);

  return el(
    'aside',
    { class: 'span-detail card', attrs: { id: 'span-detail', 'aria-label': 'Span detail' } },
    el(
      'div',
      { class: 'detail-head' },
      el('div', { class: 'detail-title' }, swatch, el('span', { class: 'detail-name' }, span.name || '(unnamed)')),
      el('button', { class: 'icon-button', title: 'Close (Esc)', attrs: { type: 'button', 'aria-label': 'Close' }, on: { click: () => actions.close() } }, '×'),
    ),
    el('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el(
      'div',
      { class: failed ? 'status status-error' : span.status.code === 1 ? 'status status-ok' : 'status' },
      el('strong', {}, failed ? 'Status: ERROR' : span.status.code === 1 ? 'Status: OK' : 'Status: unset'),
      span.status.message ? el('span', { class: 'status-message' }, span.status.message) : null,
    ),
    section('Attributes', Object.keys(span.attributes).length, attrTable(span.attributes)),
    section('Events', span.events.length, el('div', { class: 'events' }, ...span.events.map((e) => eventItem(e, traceStart)))),
    span.links?.length ? section('Links', span.links.length, el('div', { class: 'links' }, ...span.links.map((l) => linkItem(l, model, actions)))) : null,
    section('Resource', Object.keys(span.resource).length, attrTable(span.resource), false),
    section(
      'Identity',
      undefined,
      attrTable({
        'trace id': span.traceId,
        'span id': span.spanId,
        'parent span id': span.parentSpanId || '(root)',
        scope: span.scope.version ? `${span.scope.name} ${span.scope.version}` : span.scope.name,
      }),
      false,
    ),
  );
}

function section(title: string, n: number | undefined, body: HTMLElement, open = true): HTMLElement {
  const details = el('details', { class: 'section' }, el('summary', {}, title, n !== undefined ? el('span', { class: 'count' }, String(n)) : null), n === 0 ? el('p', { class: 'muted small' }, 'none') : body);
  details.open = open;
  return details;
}

function attrTable(attrs: Attrs): HTMLElement {
  const keys = Object.keys(attrs).sort();
  return el(
    'table',
    { class: 'kv' },
    el('tbody', {}, ...keys.map((k) => el('tr', {}, el('th', { title: k }, k), el('td', {}, valueText(attrs[k]))))),
  );
}

function eventItem(e: ViewEvent, traceStart: bigint): HTMLElement {
  const at = unixNanos(e.timeUnixNano) - traceStart;
  const isException = e.name === 'exception';
  const { 'exception.type': type, 'exception.message': message, 'exception.stacktrace': stack, ...rest } = e.attributes;
  return el(
    'div',
    { class: isException ? 'event event-exception' : 'event' },
    el('div', { class: 'event-head' }, el('span', { class: 'event-time' }, at >= 0n ? `+${formatDuration(Number(at))}` : ''), el('strong', {}, e.name)),
    isException && (type !== undefined || message !== undefined)
      ? el('div', { class: 'exception' }, type !== undefined ? el('span', { class: 'exception-type' }, valueText(type)) : null, message !== undefined ? el('span', {}, valueText(message)) : null)
      : null,
    isException && stack !== undefined ? el('pre', { class: 'stack' }, valueText(stack)) : null,
    attrTable(isException ? rest : e.attributes),
  );
}

function linkItem(l: NonNullable<ViewSpan['links']>[number], model: TraceModel, actions: { select(node: SpanNode): void }): HTMLElement {
  const here = l.traceId === model.tree.traceId ? model.byId.get(l.spanId) : undefined;
  const target = here
    ? el('button', { class: 'link-button', attrs: { type: 'button' }, on: { click: () => actions.select(here) } }, `${here.span.service}: ${here.span.name}`)
    : link(tracePath(l.traceId), { class: 'mono' }, `trace ${l.traceId.slice(0, 12)}… span ${l.spanId}`);
  return el('div', { class: 'link-item' }, target, Object.keys(l.attributes).length ? attrTable(l.attributes) : null);
}
