/**
 * CLI start-up cost (issue 18, item 4): CPU seconds (user + system, GNU time) of a few commands
 * that do little work, for one or more builds of the CLI, interleaved: each repetition runs every
 * command once per build, builds alternating, so both see the same machine load.
 *
 * Usage: node --import tsx scripts/bench-startup.ts --run <run folder> [--reps 5]
 *          [--build before=/tmp/old/bin/evonorm.js] [--build after=bin/evonorm.js]
 *          [--out results/speed/startup.md]
 * A build is name=path of a bin/evonorm.js (a copy of an older checkout's bin/, dist/,
 * package.json and node_modules works). Prints a markdown table of medians (and min–max) per
 * command and build on stdout, with the 1-minute load average at each repetition; writes it to
 * --out when given.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opts = (name: string): string[] => args.flatMap((a, i) => (a === `--${name}` && args[i + 1] !== undefined ? [args[i + 1]!] : []));
const REPS = Number(opts('reps')[0] ?? '5');
const RUN = opts('run')[0];
if (!RUN) throw new Error('--run <run folder> is required (status needs a run)');
const BUILDS = (opts('build').length > 0 ? opts('build') : ['after=bin/evonorm.js']).map((b) => {
  const [name, path] = b.split('=');
  if (!name || !path) throw new Error(`--build expects name=path, got ${b}`);
  return { name, path };
});
const COMMANDS: readonly string[][] = [['--version'], ['--help'], ['status', RUN], ['show', 'bn-relu']];

/** CPU seconds (user, system) of one command, by GNU time; throws when the command fails. */
function cpuOf(bin: string, argv: readonly string[]): { user: number; sys: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const out = join(dir, 'time');
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', out, process.execPath, bin, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${bin} ${argv.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
    const [user, sys] = readFileSync(out, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    return { user: user!, sys: sys! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const cpu = new Map<string, number[]>();
const loads: number[] = [];
for (let rep = 0; rep < REPS; rep++) {
  loads.push(loadavg()[0]!);
  for (const argv of COMMANDS) {
    // Alternate the build order between repetitions so neither always runs second.
    const order = rep % 2 === 0 ? BUILDS : [...BUILDS].reverse();
    for (const build of order) {
      const { user, sys } = cpuOf(build.path, argv);
      const key = `${argv.join(' ')}\t${build.name}`;
      cpu.set(key, [...(cpu.get(key) ?? []), user + sys]);
      process.stderr.write(`rep ${rep + 1}/${REPS} ${build.name} ${argv.join(' ')}: ${(user + sys).toFixed(2)} CPU-s\n`);
    }
  }
}

const head = ['command', ...BUILDS.map((b) => `${b.name} CPU-s median (min–max)`), ...(BUILDS.length > 1 ? [`${BUILDS[0]!.name} ÷ ${BUILDS[BUILDS.length - 1]!.name}`] : [])];
const rows = COMMANDS.map((argv) => {
  const label = argv.join(' ').replace(RUN, '<run>');
  const per = BUILDS.map((b) => cpu.get(`${argv.join(' ')}\t${b.name}`)!);
  const cells = per.map((xs) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`);
  const ratio = BUILDS.length > 1 ? [`${(median(per[0]!) / median(per[per.length - 1]!)).toFixed(1)}×`] : [];
  return [`\`evonorm ${label}\``, ...cells, ...ratio];
});
const text = [
  `CLI start-up, CPU seconds (user + system) per command, ${REPS} interleaved repetitions, medians; builds: ${BUILDS.map((b) => `${b.name} = ${b.path}`).join(', ')}; 1-min load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
  '',
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
].join('\n');
process.stdout.write(text);
const out = opts('out')[0];
if (out) writeFileSync(out, text);
