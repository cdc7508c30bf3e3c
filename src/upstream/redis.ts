import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';

export interface RedisLinkOptions {
  /** How long one command may go unanswered (REDIS_COMMAND_TIMEOUT_MS). */
  readonly commandTimeoutMs: number;
}

/** A Redis wait cut short because the request's deadline came before the command timeout. */
export class RedisDeadlineError extends Error {
  override name = 'RedisDeadlineError';
  readonly code = 'REDIS_DEADLINE';

  constructor() {
    super('the request deadline passed before Redis answered');
  }
}

/**
 * The one Redis connection of a gateway, for the state replicas share
 * (response cache, APQ store). Redis only saves work, so every command either
 * answers within the command timeout or fails, and callers read a failure as
 * a miss:
 *
 * - Redis down (connection refused): commands fail at once (no offline queue,
 *   no retries per command); the client reconnects in the background.
 * - Redis hung (accepts connections, never answers, e.g. `kill -STOP`): a
 *   command fails after the command timeout (`commandTimeout`), and a
 *   connection silent that long with commands waiting is dropped
 *   (`socketTimeout`), which fails every command queued on it: a hung Redis
 *   holds no promise or buffer per request past one timeout. The next
 *   connection's ready check (INFO) goes unanswered in turn, and until it is
 *   answered commands fail at once, as if Redis were down.
 */
export class RedisLink {
  private readonly redis: Redis;
  private readonly commandTimeoutMs: number;
  /** The readiness PING in flight, shared by concurrent probes. */
  private probe: Promise<boolean> | undefined;

  constructor(url: string, logger: Logger, options: RedisLinkOptions) {
    this.commandTimeoutMs = options.commandTimeoutMs;
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      commandTimeout: options.commandTimeoutMs,
      socketTimeout: options.commandTimeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    // Without a listener, ioredis reports connection errors as unhandled.
    this.redis.on('error', (error: Error) => {
      logger.debug(
        { err: error.message },
        'redis unavailable; the cache and APQ store are bypassed',
      );
    });
  }

  /**
   * Runs one command. It settles within the command timeout, or at `deadline`
   * (a `performance.now()` instant) when that comes first; past the deadline
   * it is not sent at all.
   */
  run<T>(command: (redis: Redis) => Promise<T>, deadline?: number): Promise<T> {
    const left = deadline === undefined ? Infinity : deadline - performance.now();
    if (left >= this.commandTimeoutMs) return command(this.redis);
    if (left <= 0) return Promise.reject(new RedisDeadlineError());
    // The command itself still ends within the command timeout; only the wait is cut.
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new RedisDeadlineError());
      }, left);
    });
    return Promise.race([command(this.redis), cut]).finally(() => {
      clearTimeout(timer);
    });
  }

  /**
   * Whether Redis answers now, for readiness: false at once while the
   * connection is not ready (down, or hung and reconnecting); else a PING,
   * false when it is not answered within the command timeout (which also
   * drops the connection). Concurrent probes share one PING.
   */
  answering(): boolean | Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    this.probe ??= this.redis
      .ping()
      .then(
        () => true,
        () => false,
      )
      .finally(() => {
        this.probe = undefined;
      });
    return this.probe;
  }

  /** Commands sent and not yet answered or failed (bounded by one timeout's worth). */
  get pendingCommands(): number {
    return this.redis.commandQueue.length;
  }

  close(): void {
    this.redis.disconnect();
  }
}
