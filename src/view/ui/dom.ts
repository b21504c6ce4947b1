/*
 * Every span name, attribute, event and resource value comes from services we do not
 * control: the page is built with createElement and textContent only, never from HTML text.
 */

/** A child: nodes as they are, strings as text (never parsed), nothing for null/false. */
export type Child = Node | string | number | null | undefined | false;

/** Element properties: class, title, attributes (names are ours, values may be data), listeners. */
export interface Props {
  class?: string;
  title?: string;
  attrs?: Record<string, string>;
  on?: { [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
}

/** Creates an HTML element with text children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.title !== undefined) node.title = props.title;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) node.setAttribute(k, v);
  if (props.on) for (const [type, fn] of Object.entries(props.on)) node.addEventListener(type, fn as EventListener);
  append(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element; attribute values are set as data, never parsed as markup. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  append(node, children);
  return node;
}

function append(node: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Removes every child. */
export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** An in-app link: `path` is built by the page (`/trace/` + an encoded id), never taken whole from data. */
export function link(path: string, props: Props, ...children: Child[]): HTMLAnchorElement {
  const a = el('a', { ...props, attrs: { ...props.attrs, href: path } }, ...children);
  a.dataset.nav = '';
  return a;
}
