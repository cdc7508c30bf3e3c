import { describe, expect, it } from 'vitest';
import { formatResult, runLoadTest } from '../../bench/loadtest.js';

// The short version of `npm run loadtest`: correctness under load, not speed
// (the machine running the tests sets the speed). Runs `src/` through tsx so
// the test needs no build.
describe('load test (10 s, 64 connections, mixed workload)', () => {
  it('answers every request with data and no errors, then stops cleanly', async () => {
    const result = await runLoadTest({
      durationSeconds: 10,
      connections: 64,
      entry: 'src/index.ts',
    });
    console.log(formatResult(result));

    expect(result.soak.requestsPerSecond).toBeGreaterThan(0);
    expect(result.soak.failures).toEqual({
      connectionErrors: 0,
      timeouts: 0,
      non2xx: 0,
      badBodies: 0,
    });
    expect(result.soak.errors).toBe(0);
    // The RSS was sampled through the run and the heap probe answered.
    expect(result.soak.rssMb.length).toBeGreaterThanOrEqual(2);
    expect(result.soak.liveHeapMb?.heapUsed).toBeGreaterThan(0);
    expect(result.cpuSeconds.gateway).toBeGreaterThan(0);
    expect(result.gatewayExitCode).toBe(0);
  }, 150_000);
});
