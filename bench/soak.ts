/**
 * The gateway's memory over a long S3 run at 32 connections: RSS sampled every
 * few seconds, to tell growth from noise. A warm-up run comes first: V8 lets
 * the old generation fill to its working size over the first half minute
 * (heap after each full GC stays flat meanwhile), which is not growth.
 */
import { loadErrors, runWorkload } from './load.js';
import { sampleProcess } from './procstat.js';
import type { Workload } from './workload.js';

const SAMPLE_EVERY_MS = 5_000;
const MB = 1024 * 1024;

export interface Soak {
  readonly seconds: number;
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
  /** [seconds since start, RSS in MB] every five seconds, first and last included. */
  readonly rssMb: readonly (readonly [number, number])[];
  readonly warmupSeconds: number;
}

export async function soak(
  pid: number,
  url: string,
  workload: Workload,
  seconds: number,
  connections: number,
  warmupSeconds: number,
): Promise<Soak> {
  const load = (duration: number) => runWorkload(url, workload, connections, duration);
  const warmupErrors = warmupSeconds > 0 ? loadErrors(await load(warmupSeconds)) : 0;
  const started = performance.now();
  const rssMb: [number, number][] = [];
  const sample = () => {
    const elapsed = Math.round((performance.now() - started) / 1000);
    // The interval may just have sampled this second; one sample per second is enough.
    if (rssMb.at(-1)?.[0] === elapsed) return;
    rssMb.push([elapsed, sampleProcess(pid).rssBytes / MB]);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  try {
    const run = await load(seconds);
    sample();
    return {
      seconds: run.seconds,
      connections,
      requestsPerSecond: run.responses / run.seconds,
      errors: warmupErrors + loadErrors(run),
      rssMb,
      warmupSeconds,
    };
  } finally {
    clearInterval(timer);
  }
}
