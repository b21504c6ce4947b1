import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/*
 * The web UI's tests drive Debian's Chromium (`apt-get install chromium`; .ci/run installs
 * it when missing) through playwright-core: a real browser, found by its path on PATH.
 */

/** Where the tests save screenshots (gitignored). */
export const SCREENSHOTS = path.resolve(__dirname, '../../.screenshots');

/** Chromium's path, or a clear failure when it is not installed. */
export function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not on PATH: apt-get install -y chromium');
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox'] });
}

/** A page that records script errors and dialogs, so a test can assert none happened. */
export async function openPage(browser: Browser, width = 1400, height = 860): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { page, errors };
}

/** Saves the viewport, cut below the page's content when it ends higher. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  const { width, height } = page.viewportSize()!;
  const bottom = await page.evaluate(() => Math.ceil(document.querySelector('main')?.getBoundingClientRect().bottom ?? innerHeight));
  await page.screenshot({ path: file, clip: { x: 0, y: 0, width, height: Math.min(height, Math.max(200, bottom)) } });
  return file;
}
