/** CPU time and resident memory of another process from /proc (every thread counted). */
import { readFileSync } from 'node:fs';

/** /proc counts CPU in USER_HZ ticks, 100 a second on Linux whatever the kernel's own HZ. */
export const CPU_RESOLUTION_MICROS = 10_000;

export function sampleProcess(pid: number): { cpuMicros: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return { cpuMicros: ticks * CPU_RESOLUTION_MICROS, rssBytes: rssKb * 1024 };
}
