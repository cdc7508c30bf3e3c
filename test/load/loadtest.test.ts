import { describe, expect, it } from 'vitest';
import { formatResult, runLoadTest } from '../../scripts/loadtest.js';

// The short version of `npm run loadtest`: correctness under load, not speed
// (the machine running the tests sets the speed). Runs `src/` through tsx so
// the test needs no build.
describe('load test (10 s, 64 connections, mixed workload)', () => {
  it('answers every request with data and no errors', async () => {
    const result = await runLoadTest({ durationSeconds: 10, connections: 64, entry: 'source' });
    console.log(formatResult(result));

    expect(result.requests).toBeGreaterThan(0);
    expect({
      connectionErrors: result.connectionErrors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      graphqlErrors: result.graphqlErrors,
    }).toEqual({ connectionErrors: 0, timeouts: 0, non2xx: 0, graphqlErrors: 0 });
    expect(result.gatewayExitCode).toBe(0);
  }, 120_000);
});
