import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewSpan } from '../../src/view/view-span';
import { launchChromium, openPage, screenshot } from '../helpers/browser';
import { ROOT } from '../helpers/paths';
import { spawnNode, type NodeProcess } from '../helpers/run-node';

/*
 * `npm run demo`'s four traces in the web UI, in Chromium: the tutorial's search (service
 * users, duration over 1 s) finds the slow trace, its waterfall marks the SELECT as the
 * bottleneck, the failing trace shows its error, and the service map shows the calls,
 * the queue hop's (users → activity, over the machine's NATS) among them.
 * Screenshots go to .screenshots/.
 */

const RUN = path.join(ROOT, 'examples/microservices/run.js');

let demo: NodeProcess;
let ui: string;
let browser: Browser;
let page: Page;
let errors: string[];

async function startDemo(): Promise<string> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OTEL_') && k !== 'DATABASE_URL') env[k] = v;
  env.REDIS_URL = 'redis://127.0.0.1:1';
  env.NATS_URL = 'nats://127.0.0.1:4222';
  demo = spawnNode([RUN, '--keep-running', '--ui-port', '0', '--no-color'], { env });
  return (await demo.waitForOutput(/web UI {4}(http:\/\/127\.0\.0\.1:\d+)\n[^]*Ctrl-C to stop\./))[1]!;
}

async function apiGet<T>(p: string): Promise<T> {
  return ((await (await fetch(ui + p)).json()) as { data: T }).data;
}

beforeAll(async () => {
  ui = await startDemo();
  browser = await launchChromium();
  ({ page, errors } = await openPage(browser));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.child.exitCode === null) {
    demo.child.kill('SIGINT');
    await demo.exited;
  }
}, 30_000);

describe('the web UI on the demo (Chromium)', () => {
  it('lists the four traces of the demo', async () => {
    await page.goto(ui + '/search');
    await page.waitForSelector('.result');
    expect(await page.locator('.result').count()).toBe(4);
    expect(await page.locator('#results-count').textContent()).toBe('4 traces');
    expect(await page.locator('.scatter .dot').count()).toBe(4);
    expect(await page.locator('.result-title').first().textContent()).toBe('gatewayGET /api/users/:id');
  });

  it('service users with duration over 1 s finds exactly the slow trace; a click on its dot opens it', async () => {
    await page.selectOption('#f-service', 'users');
    await page.fill('#f-min', '1s');
    await page.click('#find-traces');
    await page.waitForFunction(() => document.querySelector('#results-count')?.textContent === '1 trace');
    expect(page.url()).toBe(`${ui}/search?service=users&minDuration=1s`);
    const traceId = (await page.getAttribute('.result', 'data-trace-id'))!;
    const spans = (await apiGet<{ spans: ViewSpan[] }>(`/api/traces/${traceId}`)).spans;
    const slowSelect = spans.find((s) => s.service === 'users' && s.name.startsWith('SELECT') && BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano) >= 1_000_000_000n);
    expect(slowSelect, 'the found trace holds the 1.2 s query').toBeDefined();
    await screenshot(page, 'search.png');

    await page.click(`.scatter .dot[data-trace-id="${traceId}"]`);
    await page.waitForSelector('.trace-page[data-state=ready]');
    expect(page.url()).toBe(`${ui}/trace/${traceId}`);
  });

  it('the waterfall marks the SELECT as the bottleneck and draws the critical path', async () => {
    const bottleneck = page.locator('.wf-row.is-bottleneck');
    expect(await bottleneck.count()).toBe(1);
    expect(await bottleneck.locator('.wf-op').textContent()).toMatch(/^SELECT users/);
    expect(await bottleneck.locator('.wf-service').textContent()).toBe('users');
    expect(await bottleneck.locator('.bottleneck-badge').textContent()).toMatch(/^BOTTLENECK \d.* self$/);
    expect(await page.locator('#bottleneck-callout').textContent()).toContain('users · SELECT users');
    expect(await page.locator('.wf-row.on-critical-path').count()).toBeGreaterThanOrEqual(4);
    expect(await bottleneck.locator('.cp-seg').count()).toBe(1);
    await screenshot(page, 'trace.png');

    // Keyboard: the first row, then down to the bottleneck, Enter shows its detail.
    await page.keyboard.press('j');
    expect(await page.locator('.wf-row.selected .wf-op').textContent()).toBe('GET /api/users/:id');
    const index = Number(await bottleneck.getAttribute('data-index'));
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    expect(await page.locator('.wf-row.selected').getAttribute('data-index')).toBe(String(index));
    await page.keyboard.press('Enter');
    await page.waitForSelector('#span-detail');
    expect(await page.locator('#span-detail .detail-name').textContent()).toMatch(/^SELECT users/);
    expect(await page.locator('#span-detail .kv th', { hasText: 'db.system.name' }).count()).toBe(1);
    await screenshot(page, 'trace-detail.png');
    await page.keyboard.press('Escape');
    expect(await page.locator('#span-detail').count()).toBe(0);
  });

  it('the failing trace shows its error, down to the users span and its message', async () => {
    await page.goto(`${ui}/search?tags=error%3Dtrue&service=users`);
    await page.waitForFunction(() => document.querySelector('#results-count')?.textContent === '1 trace');
    expect(await page.locator('.result .error-mark').textContent()).toMatch(/✗ \d errors?/);
    await page.click('.result a');
    await page.waitForSelector('.trace-page[data-state=ready]');
    expect(await page.locator('#trace-errors').textContent()).toMatch(/✗ \d errors?/);
    const failed = page.locator('.wf-row.has-error', { has: page.locator('.wf-service', { hasText: 'users' }) });
    expect(await failed.count()).toBe(1);
    await failed.click();
    await page.waitForSelector('#span-detail .status-error');
    expect(await page.locator('#span-detail .status-error strong').textContent()).toBe('Status: ERROR');
    expect(await page.locator('#span-detail .status-message').textContent()).toMatch(/JSON/);
  });

  it('the service map shows gateway calling auth and users, users reaching activity over the queue, with counts and the error rate', async () => {
    await page.click('text=Service map');
    await page.waitForSelector('.service-map');
    expect(page.url()).toBe(`${ui}/map`);
    expect(await page.locator('.service-map .node').count()).toBe(4);
    const toUsers = page.locator('.edge[data-from="gateway"][data-to="users"]');
    expect(await toUsers.locator('.edge-label').first().textContent()).toBe('3 calls · 33% errors');
    expect(await page.locator('.edge[data-from="gateway"][data-to="auth"] .edge-label').first().textContent()).toBe('4 calls');
    expect(await page.locator('.edge[data-from="users"][data-to="activity"] .edge-label').first().textContent()).toBe('2 calls');
    expect(await page.locator('#calls-table tbody tr').count()).toBe(3);
    await screenshot(page, 'service-map.png');
    expect(errors).toEqual([]);
  });
});
