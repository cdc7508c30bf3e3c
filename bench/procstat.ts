/**
 * CPU time and resident memory of another process, read from /proc (Linux).
 * The gateway has no endpoint reporting its own `process.cpuUsage()`, so the
 * bench samples it from outside; /proc counts every thread of the process.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcSample {
  /** User + system CPU time since the process started, in microseconds. */
  readonly cpuMicros: number;
  /** Resident set size in bytes. */
  readonly rssBytes: number;
}

/** Clock ticks per second of /proc's CPU figures (almost always 100). */
function clockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

const TICKS = clockTicks();

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its ')' are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5) (utime, stime); the slice starts at field 3.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return { cpuMicros: (ticks * 1e6) / TICKS, rssBytes: rssKb * 1024 };
}

/** Resolution of `cpuMicros`, to show beside per-request figures. */
export const CPU_RESOLUTION_MICROS = 1e6 / TICKS;
