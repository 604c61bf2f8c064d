/**
 * Prints the CALIBRATIONS entry (src/protocol/calibrations.ts) of a committed fidelity report:
 *   node --import tsx scripts/calibration-entry.ts <name> <report.json> "<target in words>" <YYYY-MM-DD>
 */
import { readFileSync } from 'node:fs';
import { calibrationFromReport } from '../src/protocol/calibrations.js';
import type { FidelityReport } from '../src/protocol/fidelity.js';

const [name, source, target, measured] = process.argv.slice(2);
if (!name || !source || !target || !measured) {
  process.stderr.write('usage: calibration-entry.ts <name> <report.json> "<target in words>" <YYYY-MM-DD>\n');
  process.exit(2);
}
const entry = calibrationFromReport(JSON.parse(readFileSync(source, 'utf8')) as FidelityReport, name, source, target, measured);
if (entry === undefined) {
  process.stderr.write(`${source} has no figures yet (seed 0 of a side is not complete)\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(entry, null, 2)},\n`);
