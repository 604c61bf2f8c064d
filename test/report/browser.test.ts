/**
 * The report in a real browser: headless Chromium (the Debian package, driven by playwright-core)
 * opens the report of a small finished search from disk. It must load with no console error and
 * no request beyond the file itself, and show the front plot, the progress plot, the funnel and
 * graph drawings; hovering a point shows its formula. The screenshot is kept as a test artifact
 * in test-artifacts/report.png (git-ignored).
 *
 * Without Chromium the test is skipped, saying so; under CI (CI=true) it fails instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { smallRun } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const ARTIFACTS = resolve('test-artifacts');

test('when the report of a finished search opens in Chromium, then it shows the plots and drawings with no error and no network', async (t) => {
  if (CHROMIUM === undefined) {
    if (process.env.CI === 'true') assert.fail('chromium is not installed (apt-get install chromium); the report must be tested in a browser on CI');
    t.skip('chromium not installed (/usr/bin/chromium): the browser test is skipped');
    return;
  }
  const { chromium } = await import('playwright-core');
  const run = await smallRun();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(run, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });

    assert.equal(await page.locator('#front-plot .plot svg').count() >= 1, true, 'a Pareto scatter');
    assert.equal(await page.locator('#progress-plot svg').count(), 1, 'the progress plot');
    assert.equal(await page.locator('#funnel svg').count(), 1, 'the funnel');
    const drawings = await page.locator('.graph-drawing svg').count();
    assert.ok(drawings >= 1, `graph drawings: ${drawings}`);
    assert.match((await page.locator('#run-state').textContent()) ?? '', /finished/);
    assert.ok(await page.locator('#front-plot svg').first().isVisible());

    // Hover a front point: the tooltip shows its formula.
    const point = page.locator('#front-plot [role="graphics-symbol"][aria-label*="#"]').first();
    await point.hover({ force: true });
    const tip = page.locator('#tip');
    assert.ok(await tip.isVisible(), 'a tooltip appears on hover');
    assert.match((await tip.textContent()) ?? '', /#\d+.* · .+ · standardized/);
    await page.mouse.move(0, 0);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report-top.png') });

    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [url], 'no request beyond the report file');
  } finally {
    await browser.close();
  }
});
