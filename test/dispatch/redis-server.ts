/**
 * A real redis-server for the Redis tests, started by the test file on a free port without
 * persistence (a restart loses the queue, as in production without AOF/RDB). Without Debian's
 * redis-server the tests are skipped, saying so — except in CI (CI=true), where .ci/run installs
 * it and its absence must fail the suite, not hide the Redis tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const installed = spawnSync('redis-server', ['--version']).status === 0;
const inCi = process.env.CI === 'true';

/** The `skip` option of the Redis tests: false when redis-server is there or in CI (startRedisServer then fails, saying why), else why not. */
export const redisSkip: false | string = installed || inCi ? false : 'redis-server is not installed (apt-get install redis-server)';

/** A TCP port nobody listens on (right now). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A redis-server child process on one port; restart() kills it and starts an empty one there. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** SIGKILL, then a new empty server on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts redis-server on a free port (no RDB, no AOF) and resolves once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  if (!installed) {
    throw new Error(`redis-server is not on PATH${inCi ? ': CI=true requires it, so the Redis tests fail rather than skip' : ''} (.ci/run installs Debian's redis-server: apt-get install redis-server)`);
  }
  const port = await freePort();
  let child = await launch(port);
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart() {
      await kill();
      child = await launch(port);
    },
    stop: kill,
  };
}

async function launch(port: number): Promise<ChildProcess> {
  // The port may linger briefly after a kill: try a few times.
  for (let attempt = 0; ; attempt++) {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const ready = await new Promise<boolean>((resolve) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve(true);
      });
      child.once('exit', () => resolve(false));
    });
    if (ready) {
      child.stdout!.resume();
      return child;
    }
    if (attempt >= 20) throw new Error(`redis-server would not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
