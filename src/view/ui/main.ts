import { api, type StoreStats } from './api';
import { clear, el, link } from './dom';
import { count, plural } from './format';
import type { Page } from './page';
import { setRouteHandler } from './router';
import { searchPage } from './search-page';
import { serviceMapPage } from './service-map-page';
import { tracePage } from './trace-page';

/*
 * The page shell: a top bar, the page for the address (search, trace, service map), and
 * a poll of the store's version so new traces appear without a reload.
 */

const POLL_MS = 1500;

const app = document.getElementById('app')!;
const navSearch = link('/search', { class: 'nav-link' }, 'Search');
const navMap = link('/map', { class: 'nav-link' }, 'Service map');
const status = el('span', { class: 'store-status', attrs: { id: 'store-status' } });
const main = el('main', { class: 'page' });
app.append(el('header', { class: 'topbar' }, link('/', { class: 'brand' }, el('span', { class: 'brand-mark' }), 'Waymark'), el('nav', {}, navSearch, navMap), el('span', { class: 'spacer' }), status), main);

let page: Page | undefined;

function route(): void {
  page?.dispose?.();
  clear(main);
  const path = location.pathname;
  if (path.startsWith('/trace/')) page = tracePage(main, safeDecode(path.slice('/trace/'.length)).toLowerCase());
  else if (path === '/map') page = serviceMapPage(main);
  else page = searchPage(main);
  navSearch.classList.toggle('active', path === '/' || path === '/search');
  navMap.classList.toggle('active', path === '/map');
  if (!path.startsWith('/trace/')) document.title = `${page.title} · Waymark`;
  window.scrollTo(0, 0);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

setRouteHandler(route);
window.addEventListener('popstate', route);
document.addEventListener('click', (e) => {
  const a = (e.target as Element | null)?.closest?.('a[data-nav]');
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  const href = a.getAttribute('href') ?? '/';
  if (href !== location.pathname + location.search) history.pushState(null, '', href);
  route();
});
let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(() => page?.onResize?.(), 100);
});

let version = -1;
async function poll(): Promise<void> {
  try {
    const stats = await api.stats();
    showStatus(stats);
    if (version !== -1 && stats.version !== version) page?.onStoreChange?.();
    version = stats.version;
  } catch {
    status.textContent = 'viewer not answering';
    status.classList.add('offline');
  }
  setTimeout(poll, POLL_MS);
}

function showStatus(s: StoreStats): void {
  status.classList.remove('offline');
  status.textContent = `${plural(s.traces, 'trace')} · ${plural(s.spans, 'span')}`;
  status.title = `holding at most ${count(s.maxSpans)} spans (--max-spans)`;
  if (s.evictedTraces) {
    status.append(el('span', { class: 'evicted', title: `the oldest traces go first when more than ${count(s.maxSpans)} spans are held` }, ` · ${plural(s.evictedTraces, 'trace')} evicted`));
  }
}

route();
void poll();
