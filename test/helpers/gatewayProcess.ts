/**
 * Runs the gateway as its own process, the way `npm start` does, so signals,
 * exit codes and timeouts are the real process's. Used by the shutdown,
 * slow-client and multi-replica tests (the load test is bench/loadtest.ts).
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { startNodeFlags } from '../../scripts/startCommand.js';

/** `dist`: the build `npm start` runs; `source`: `src/index.ts` through tsx, no build needed. */
export type GatewayEntry = 'dist' | 'source';

export interface GatewayProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:PORT/graphql` */
  readonly url: string;
  /** Every stdout line so far (JSON log lines). */
  readonly lines: readonly string[];
  stderr(): string;
  /** Resolves with the first stdout line matching, or rejects after `timeoutMs` or on exit. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

export interface StartOptions {
  readonly entry: GatewayEntry;
  /** Added to a minimal environment (PATH only): the parent's settings do not leak in. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly readyTimeoutMs?: number;
}

const ENTRY_ARGS: Readonly<Record<GatewayEntry, readonly string[]>> = {
  dist: [...startNodeFlags(), 'dist/index.js'],
  source: ['--import', 'tsx', 'src/index.ts'],
};

/** Starts the gateway on a free loopback port and waits for its "ready at" line. */
export async function startGatewayProcess(options: StartOptions): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...ENTRY_ARGS[options.entry]], {
    cwd: options.cwd ?? process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { pid } = child;
  if (pid === undefined) throw new Error('the gateway process did not start');

  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const wake of waiters) wake();
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let exitCode: number | null | undefined;
  const exited = once(child, 'exit').then(([code]) => {
    exitCode = code as number | null;
    for (const wake of waiters) wake();
    return exitCode;
  });

  const waitForLine = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const stopWaiting = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      const check = () => {
        const line = lines.find((l) => pattern.test(l));
        if (line !== undefined) {
          stopWaiting();
          resolve(line);
        } else if (exitCode !== undefined) {
          stopWaiting();
          reject(new Error(`gateway exited with ${String(exitCode)} before ${pattern}: ${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        stopWaiting();
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  let ready: string;
  try {
    ready = await waitForLine(/ready at/, options.readyTimeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const { port } = JSON.parse(ready) as { port: number };

  return {
    child,
    pid,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    lines,
    stderr: () => stderr,
    waitForLine,
    exited,
  };
}
