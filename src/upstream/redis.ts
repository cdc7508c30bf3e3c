import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

/**
 * A Redis connection for state shared by replicas (response cache, APQ
 * store). Commands fail at once while Redis is unreachable (no offline queue,
 * no retries per command), so an outage costs a miss, not a wait; the client
 * reconnects in the background.
 */
export function connectRedis(url: string, logger: Logger, purpose: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Without a listener, ioredis reports connection errors as unhandled.
  redis.on('error', (error: Error) => {
    logger.debug({ err: error.message }, `redis unavailable; the ${purpose} is bypassed`);
  });
  return redis;
}
