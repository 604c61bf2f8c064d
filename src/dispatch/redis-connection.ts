/** Redis connection settings for BullMQ from a redis:// URL. */
import { connect } from 'node:net';
import type { ConnectionOptions } from 'bullmq';
import { EvonormError } from '../util/errors.js';

/** The default BullMQ queue name of evonorm evaluations. */
export const DEFAULT_QUEUE = 'evonorm';

/**
 * ioredis options for a `redis://[user:password@]host[:port][/db]` URL. BullMQ workers need
 * `maxRetriesPerRequest: null` (they block on Redis and must not give up). EvonormError
 * ('BAD_CONFIG') for a URL that is not redis:// or rediss://.
 */
export function redisConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EvonormError('BAD_CONFIG', `not a Redis URL: "${url}" (expected redis://host:port)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new EvonormError('BAD_CONFIG', `not a Redis URL: "${url}" (expected redis://host:port)`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new EvonormError('BAD_CONFIG', `bad Redis database number in "${url}"`);
  return {
    host: parsed.hostname || 'localhost',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/**
 * Resolves when a TCP connection to the URL's host and port opens within `ms`; rejects with
 * EvonormError('BAD_CONFIG') otherwise. Checked before creating BullMQ clients, which would
 * retry an unreachable server forever (and whose close() then never returns).
 */
export function assertReachable(url: string, ms = 3000): Promise<void> {
  const { host, port } = redisConnection(url) as { host: string; port: number };
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string): void => {
      socket.destroy();
      reject(new EvonormError('BAD_CONFIG', `cannot reach Redis at ${url}: ${why}`));
    };
    socket.setTimeout(ms, () => fail(`no answer within ${ms} ms`));
    socket.once('error', (err) => fail(err.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
