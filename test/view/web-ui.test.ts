import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ViewSpan } from '../../src/view/view-span';
import { startViewer, type Viewer } from '../../src/view/viewer';
import { launchChromium, openPage } from '../helpers/browser';
import { failingRequest, slowRequest, span, spanId } from './fixtures';

/*
 * The web UI in Chromium against an in-process viewer (needs `npm run build` for
 * build/ui): untrusted span data stays text, a 10,000-span trace stays virtualized,
 * find-in-trace, folding, span detail, and new traces appearing without a reload.
 */

const XSS = '<img src=x onerror="window.__xss=1">';
const XSS_ATTR = '<img src=x onerror=window.__xss=2><script>window.__xss=3</script>';

let browser: Browser;
let viewer: Viewer;
let page: Page;
let errors: string[];
let requested: string[];

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => browser?.close());

beforeEach(async () => {
  viewer = await startViewer({ port: 0, ui: { port: 0 }, write: false, warn: () => {}, assembler: { quietMs: 50 } });
  ({ page, errors } = await openPage(browser));
  requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
});
afterEach(async () => {
  await page?.close();
  await viewer?.close();
});

const ui = (p: string): string => viewer.ui!.url + p;

function hostileTrace(): ViewSpan[] {
  const traceId = 'abcdefabcdefabcdefabcdefabcdef01';
  const root = span({ id: 'root', service: XSS, name: XSS, kind: 2, start: 0, end: 30, traceId, error: XSS_ATTR, attributes: { [XSS]: XSS_ATTR, 'http.route': XSS } });
  root.events = [
    { name: 'exception', timeUnixNano: root.startTimeUnixNano, attributes: { 'exception.type': XSS, 'exception.message': XSS_ATTR, 'exception.stacktrace': XSS } },
    { name: XSS, timeUnixNano: root.startTimeUnixNano, attributes: { [XSS]: XSS } },
  ];
  root.resource = { 'service.name': XSS, 'host.name': XSS_ATTR };
  root.links = [{ traceId: XSS, spanId: XSS, attributes: { [XSS]: XSS } }];
  const child = span({ id: 'child', parent: 'root', service: 'db', name: XSS_ATTR, kind: 3, start: 5, end: 25, traceId });
  return [root, child];
}

describe('the web UI (Chromium, in-process viewer)', () => {
  it('shows span names, attributes, events, links and resources from the wire as text: nothing in them runs', async () => {
    viewer.load(hostileTrace());
    await page.goto(ui('/search'));
    await page.waitForSelector('.result');
    expect(await page.locator('.result-name').textContent()).toBe(XSS);
    await page.click('.result a');
    await page.waitForSelector('.trace-page[data-state=ready]');
    await page.click('.wf-row >> nth=0');
    await page.waitForSelector('#span-detail');
    await page.click('text=Resource');
    expect(await page.locator('#span-detail .detail-name').textContent()).toBe(XSS);
    expect(await page.locator('#span-detail .kv td', { hasText: XSS_ATTR }).count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#span-detail .exception-type').textContent()).toBe(XSS);
    expect(await page.locator('#span-detail .stack').textContent()).toBe(XSS);
    expect(await page.locator('#span-detail .event strong').allTextContents()).toEqual(['exception', XSS]);
    expect(await page.locator('#span-detail .link-item').textContent()).toContain(XSS);
    expect(await page.locator('#span-detail .status-message').textContent()).toBe(XSS_ATTR);
    expect(await page.locator('.wf-row .wf-op').allTextContents()).toEqual([XSS, XSS_ATTR]);
    await page.goto(ui('/map'));
    await page.waitForSelector('.service-map');
    expect(await page.locator('.service-map .node-name').allTextContents()).toContain(XSS.slice(0, 21) + '…');
    expect(await page.locator('.service-map .node title').allTextContents()).toContain(`${XSS}: search its traces`);

    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.evaluate(() => document.querySelectorAll('#app img, #app script').length)).toBe(0);
    expect(requested.filter((p) => p === '/x')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('opens a 10,000-span trace with only the rows in view in the page, and scrolls to its last span', async () => {
    const traceId = 'f'.repeat(31) + '1';
    const spans: ViewSpan[] = [];
    for (let i = 0; i < 10_000; i++) {
      // A wide tree: span i's parent is span floor((i - 1) / 10).
      spans.push(span({ id: `s${i}`, parent: i ? `s${Math.floor((i - 1) / 10)}` : undefined, service: `svc-${i % 7}`, name: `op ${i}`, start: i * 0.01, end: 200 - i * 0.01, traceId }));
    }
    viewer.load(spans);
    const started = Date.now();
    await page.goto(ui(`/trace/${traceId}`));
    await page.waitForSelector('.trace-page[data-state=ready] .wf-row');
    const openMs = Date.now() - started;
    expect(openMs, 'opening the trace (the bench measures it; this bounds a noisy machine)').toBeLessThan(10_000);
    expect(await page.locator('.trace-meta dd').nth(4).textContent()).toBe('10,000');
    const rowsInDom = await page.locator('.wf-row').count();
    expect(rowsInDom).toBeGreaterThan(10);
    expect(rowsInDom).toBeLessThan(120);

    await page.locator('#waterfall-rows').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForFunction(() => document.querySelector('.wf-row:last-child')?.getAttribute('data-index') === '9999');
    expect(await page.locator('.wf-row').count()).toBeLessThan(120);

    // Folding the root leaves one row.
    await page.locator('#waterfall-rows').evaluate((el) => (el.scrollTop = 0));
    await page.click('.wf-row[data-index="0"] [data-toggle]');
    await page.waitForFunction(() => document.querySelectorAll('.wf-row').length === 1);
    expect(await page.locator('.wf-hidden-count').textContent()).toBe('+9999');
    expect(errors).toEqual([]);
  });

  it('finds in the trace, unfolding what hides the match, and walks the tree by keyboard', async () => {
    viewer.load(slowRequest());
    await page.goto(ui('/trace/4bf92f3577b34da6a3ce929d0e0e4736'));
    await page.waitForSelector('.trace-page[data-state=ready]');
    // Collapse all leaves the root and its children.
    await page.click('#collapse-all');
    expect(await page.locator('.wf-row .wf-op').allTextContents()).toEqual(['GET /api/users/:id', 'POST', 'audit.write', 'GET']);
    await page.keyboard.press('/');
    await page.keyboard.type('select');
    await page.waitForFunction(() => document.querySelector('#find-count')?.textContent === '1 of 1');
    expect(await page.locator('.wf-row.match .wf-op').textContent()).toBe('SELECT users');
    expect(await page.locator('.wf-row.selected .wf-op').textContent()).toBe('SELECT users');
    await page.locator('#find-in-trace').press('Escape');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('.wf-row.selected .wf-op').textContent()).toBe('GET /users/:id');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('.wf-row[data-span-id="' + spanId('select') + '"]').count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('.wf-row.selected .wf-op').textContent()).toBe('GET');
    await page.keyboard.press('k');
    expect(await page.locator('.wf-row.selected .wf-op').textContent()).toBe('GET /users/:id');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#span-detail');
    expect(await page.locator('#span-detail .facts dd').first().textContent()).toBe('users');
  });

  it('shows new traces on the search page without a reload', async () => {
    await page.goto(ui('/search'));
    await page.waitForSelector('.results .empty');
    const res = await fetch(viewer.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'late' } }] },
            scopeSpans: [{ spans: [{ traceId: '0123456789abcdef0123456789abcdef', spanId: '0123456789abcdef', name: 'GET /late', kind: 2, startTimeUnixNano: String(Date.now() * 1e6), endTimeUnixNano: String(Date.now() * 1e6 + 5e6) }] }],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    await page.waitForSelector('.result', { timeout: 10_000 });
    expect(await page.locator('.result-name').textContent()).toBe('GET /late');
    expect(await page.locator('#store-status').textContent()).toBe('1 trace · 1 span');
  });

  it('redraws an open trace when more of its spans arrive, keeping the selection', async () => {
    const spans = slowRequest();
    viewer.load(spans.filter((s) => s.name !== 'SELECT users'));
    await page.goto(ui('/trace/4bf92f3577b34da6a3ce929d0e0e4736'));
    await page.waitForSelector('.trace-page[data-state=ready]');
    expect(await page.locator('.wf-row').count()).toBe(9);
    await page.click('.wf-row:has(.wf-op:text-is("pg.connect"))');
    viewer.load(spans.filter((s) => s.name === 'SELECT users'));
    await page.waitForFunction(() => document.querySelectorAll('.wf-row').length === 10, undefined, { timeout: 10_000 });
    expect(await page.locator('.wf-row.is-bottleneck .wf-op').textContent()).toBe('SELECT users');
    expect(await page.locator('.wf-row.selected .wf-op').textContent()).toBe('pg.connect');
    expect(await page.locator('#span-detail .detail-name').textContent()).toBe('pg.connect');
  });

  it('opens a link of another trace, and says so when a trace is not held', async () => {
    const [root] = failingRequest();
    root!.links = [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: spanId('gw'), attributes: {} }];
    viewer.load([root!, ...failingRequest().slice(1), ...slowRequest()]);
    await page.goto(ui('/trace/a1b2c3d4e5f60718293a4b5c6d7e8f90'));
    await page.waitForSelector('.trace-page[data-state=ready]');
    expect(await page.locator('#trace-errors').textContent()).toBe('✗ 3 errors');
    await page.click('.wf-row >> nth=0');
    await page.click('#span-detail .link-item a');
    await page.waitForFunction(() => location.pathname === '/trace/4bf92f3577b34da6a3ce929d0e0e4736' && document.querySelector('.trace-page[data-state=ready]'));
    await page.goto(ui('/trace/' + '0'.repeat(32)));
    await page.waitForSelector('.trace-page[data-state=error]');
    expect(await page.locator('.trace-page .empty strong').textContent()).toBe(`Trace ${'0'.repeat(32)} is not here.`);
  });
});
