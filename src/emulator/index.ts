/** The embedded Data API v2.0 emulator: start it, point a client at `url`, inspect `calls`. */
import type { AddressInfo } from 'node:net';
import type { Row } from '../api/wire.js';
import { Auth } from './auth.js';
import { TABLES } from './data.js';
import { FaultSwitch } from './faults.js';
import type { Fault } from './faults.js';
import { RateLimiter } from './limits.js';
import { createRandom } from './random.js';
import { createEmulatorServer } from './server.js';
import type { RecordedCall } from './server.js';

export {
  AGENT_CUSTOMER_IDS,
  AGENT_TOKEN,
  BLOCKED_TOKEN,
  DEMO_LOGIN,
  DEMO_PASSWORD,
  DEMO_TOKEN,
  EXPIRED_TOKEN,
} from './auth.js';
export { API_ERRORS } from '../api/errors.js';
export type { Mnemonic } from './errors.js';
export type { Fault, FaultKind } from './faults.js';
export type { RecordedCall } from './server.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly dayLimit?: number;
  readonly minuteLimit?: number;
  /** Lifetime of `login.user` sessions; the API's is one hour. */
  readonly sessionTtlSeconds?: number;
  /** Serve as a deprecated API version (`metadata.api_version` on successes). */
  readonly deprecatedVersion?: boolean;
  /** Clock in milliseconds, for sessions, rate-limit windows and `calls[].at`. */
  readonly now?: () => number;
  /**
   * `table` (default, deterministic for GraphiQL): unsorted rows and sort ties
   * keep the table order. `unspecified`: like the real API, which promises no
   * order beyond `sort`; rows are shuffled on every call (seeded by `orderSeed`).
   */
  readonly order?: 'table' | 'unspecified';
  readonly orderSeed?: number;
}

export const EMULATOR_DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  dayLimit: 100_000,
  minuteLimit: 10_000,
  sessionTtlSeconds: 3600,
  deprecatedVersion: false,
  order: 'table',
  orderSeed: 1,
} as const;

export interface RunningEmulator {
  /** The canonical endpoint, e.g. `http://127.0.0.1:PORT/v2.0`. */
  readonly url: string;
  readonly port: number;
  /** Every request whose body was a JSON object, in arrival order. */
  readonly calls: RecordedCall[];
  resetCalls(): void;
  setFault(fault: Fault | null): void;
  /**
   * Test hooks for a list that changes between calls, as when numbers are
   * bought (programmatic only: there is no HTTP endpoint for them). They change
   * this emulator's copy of the table, never the shared seeded data.
   */
  removeRows(method: string, predicate: (row: Row) => boolean): Row[];
  addRows(method: string, rows: readonly Row[]): void;
  /** Back to the seeded tables. */
  resetRows(): void;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const settings = { ...EMULATOR_DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  const faults = new FaultSwitch();
  const calls: RecordedCall[] = [];
  const closing = new AbortController();
  // Each emulator its own table map: the hooks below replace its arrays.
  const tables = new Map<string, readonly Row[]>(TABLES);
  const server = createEmulatorServer({
    context: {
      auth: new Auth({ sessionTtlSeconds: settings.sessionTtlSeconds, now }),
      limiter: new RateLimiter({
        dayLimit: settings.dayLimit,
        minuteLimit: settings.minuteLimit,
        now,
      }),
      tables,
      deprecatedVersion: settings.deprecatedVersion,
      ...(settings.order === 'unspecified' ? { random: createRandom(settings.orderSeed) } : {}),
    },
    faults,
    calls,
    now,
    signal: closing.signal,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;

  return {
    url: `http://${host}:${port}/v2.0`,
    port,
    calls,
    resetCalls() {
      // In place: callers may hold a reference to `calls`.
      calls.length = 0;
    },
    setFault(fault) {
      faults.set(fault);
    },
    removeRows(method, predicate) {
      const rows = tables.get(method) ?? [];
      tables.set(
        method,
        rows.filter((row) => !predicate(row)),
      );
      return rows.filter(predicate);
    },
    addRows(method, rows) {
      tables.set(method, [...(tables.get(method) ?? []), ...rows]);
    },
    resetRows() {
      for (const [method, rows] of TABLES) tables.set(method, rows);
    },
    close() {
      closing.abort();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        server.closeAllConnections();
      });
    },
  };
}
