/** The population's diversity in the report and in `status --json`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diversityPlotSpec } from '../../src/report/diversity-plot.js';
import { cli, smallRun } from './helpers.js';

test('when the diversity series is plotted, then each settle point is one row with its share, family and functions', () => {
  const spec = diversityPlotSpec([
    { batch: 0, evaluated: 5, size: 5, largestFamily: 'div', largestCount: 2, largestShare: 0.4, families: 4, distinctFunctions: 5, scored: 5 },
    { batch: 1, evaluated: 10, size: 10, largestFamily: 'tanh∘div', largestCount: 6, largestShare: 0.6, families: 3, distinctFunctions: 7, scored: 8 },
  ]) as unknown as { data: { values: unknown[] }; vconcat: unknown[] };
  assert.deepEqual(spec.data.values, [
    { evaluated: 5, share: 0.4, family: 'div', functions: 5, size: 5 },
    { evaluated: 10, share: 0.6, family: 'tanh∘div', functions: 7, size: 10 },
  ]);
  assert.equal(spec.vconcat.length, 2);
});

test('when a search finishes, then its report has the diversity chart and status --json the diversity series', async () => {
  const run = await smallRun();
  const html = readFileSync(join(run, 'report.html'), 'utf8');
  assert.match(html, /id="diversity-plot"><svg/);
  assert.match(html, /distinct functions in \d+ structural families/);
  const { code, out } = await cli('status', run, '--json');
  assert.equal(code, 0);
  const { diversity } = JSON.parse(out) as { diversity: { series: { evaluated: number }[]; latest: { size: number; largestShare: number } } };
  assert.equal(diversity.series.length, 40);
  assert.equal(diversity.latest.size, 20);
  assert.ok(diversity.latest.largestShare > 0 && diversity.latest.largestShare <= 1);
  const text = await cli('status', run);
  assert.match(text.out, /diversity +largest family \S+ holds \d+% of the population \(\d+ of 20\); \d+ distinct functions/);
});
