/**
 * Runs the gateway as its own process, the way `npm start` does, so signals,
 * exit codes and memory are the real process's. Used by the load test and by
 * the shutdown test.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { startNodeFlags } from './startCommand.js';

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
  /** Resident set size, in bytes. */
  rss(): Promise<number>;
}

export interface StartOptions {
  readonly entry: GatewayEntry;
  /** Added to a minimal environment (PATH only): the parent's settings do not leak in. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Flags for node itself, e.g. `--trace-gc` to tell heap growth from allocator slack. */
  readonly nodeArgs?: readonly string[];
  /** Called with each stdout line as it arrives. */
  readonly onLine?: (line: string) => void;
  readonly readyTimeoutMs?: number;
}

const ENTRY_ARGS: Readonly<Record<GatewayEntry, readonly string[]>> = {
  dist: [...startNodeFlags(), 'dist/index.js'],
  source: ['--import', 'tsx', 'src/index.ts'],
};

const execFileAsync = promisify(execFile);

/** Starts the gateway on a free loopback port and waits for its "ready at" line. */
export async function startGatewayProcess(options: StartOptions): Promise<GatewayProcess> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...ENTRY_ARGS[options.entry]],
    {
      cwd: options.cwd ?? process.cwd(),
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const { pid } = child;
  if (pid === undefined) throw new Error('the gateway process did not start');

  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    options.onLine?.(line);
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
    rss: () => rssOf(pid),
  };
}

/** RSS of a process: /proc on Linux, `ps` elsewhere. */
export async function rssOf(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (match?.[1] !== undefined) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall through to ps.
  }
  const { stdout } = await execFileAsync('ps', ['-o', 'rss=', '-p', String(pid)]);
  return Number(stdout.trim()) * 1024;
}

/** CPU time (user + system) a process has used, in seconds; undefined where /proc is missing. */
export async function cpuSecondsOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces: utime and
    // stime are fields 14 and 15 of the line, i.e. 11 and 12 after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // Linux reports in USER_HZ, 100 on every mainstream platform.
    return Number.isFinite(ticks) ? ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}
