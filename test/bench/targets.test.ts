/** The bench's targets (one table, one evaluation), its plan filters and its statistics. */
import { describe, expect, it } from 'vitest';
import type { Abandon } from '../../bench/abandon.js';
import type { CellResult } from '../../bench/measure.js';
import { FULL_PLAN, restrict } from '../../bench/plan.js';
import { median, quantile } from '../../bench/stats.js';
import type { Measured } from '../../bench/targets.js';
import { TARGETS, errorTarget, evaluate, judge } from '../../bench/targets.js';

// Only the fields the targets read.
const run = (parts: Partial<Measured>): Measured => ({
  cells: [],
  warmUps: [],
  pushDown: [],
  soaks: [],
  abandon: undefined,
  ...parts,
});
const loads = (errors: Record<string, number>) =>
  Object.entries(errors).map(([subject, n]) => ({ subject, errors: n })) as unknown as never[];
const cell = (subject: string, connections: number, requestsPerSecond: number, p50 = 1) =>
  ({
    subject,
    upstream: 'static',
    scenario: 'S1',
    connections,
    requestsPerSecond,
    latencyMs: { p50, p99: p50 },
    subjectCpuMicrosPerRequest: 1000 / requestsPerSecond,
    errors: 0,
  }) as unknown as CellResult;

const named = (name: string) => {
  const found = TARGETS.find((t) => t.name.startsWith(name));
  if (!found) throw new Error(`no target ${name}`);
  return found;
};

describe('the error target', () => {
  it('is met when only the peer failed, and says whose errors they were', () => {
    const target = errorTarget(
      run({
        cells: loads({ gateway: 0, mesh: 6, proxy: 0 }),
        warmUps: loads({ mesh: 1 }),
        soaks: loads({ gateway: 0 }),
      }),
    );
    expect(target.met).toBe(true);
    expect(target.measured).toBe('7 errors in 2 of 3 cells and 1 warm-ups and 1 soaks (mesh 7)');
  });

  it('is not met when the gateway, direct or the proxy failed, anywhere', () => {
    expect(errorTarget(run({ cells: loads({ gateway: 1 }) })).met).toBe(false);
    expect(
      errorTarget(run({ cells: loads({ direct: 0 }), warmUps: loads({ proxy: 2 }) })).met,
    ).toBe(false);
    expect(errorTarget(run({ soaks: loads({ gateway: 3 }) })).met).toBe(false);
    const abandon = { subject: 'gateway', errors: 2 } as unknown as Abandon;
    expect(errorTarget(run({ abandon })).measured).toBe(
      '2 errors in 0 of 0 cells and the abandoning clients (gateway 2)',
    );
    expect(errorTarget(run({ cells: loads({ gateway: 0 }) })).measured).toBe(
      '0 errors in 0 of 1 cells',
    );
  });
});

describe('the target table', () => {
  it('compares two subjects of one cell as the definition says', () => {
    const cells = [
      cell('gateway', 32, 869),
      cell('proxy', 32, 3846),
      cell('gateway', 1, 600, 1.56),
      cell('proxy', 1, 900, 0.67),
    ];
    expect(evaluate(named('S1 throughput, distinct'), run({ cells }))).toMatchObject({
      measured: '869 / 3846 req/s = 0.23',
      met: false,
    });
    expect(evaluate(named('S1 p50 at 1 connection'), run({ cells })).measured).toBe(
      '1.56 − 0.67 ms = +0.89 ms',
    );
    expect(evaluate(named('S1 throughput vs GraphQL Mesh'), run({ cells })).met).toBeNull();
  });

  it('judges the abandoning clients on p99, idle time and RSS', () => {
    const latencies = (p99: number) => ({ requests: 50, p50: 5, p99, max: p99 });
    const abandon = {
      probe: { during: latencies(4000), after: latencies(20) },
      cpuAfter: [1, 1, 0.02, 0.01],
      idleAfterSeconds: 1,
      rssEndMb: 180,
      peakRssMb: 300,
      gatewayExited: false,
    } as unknown as Abandon;
    const verdicts = judge(run({ abandon })).issue23.map((t) => [t.met, t.measured]);
    expect(verdicts).toEqual([
      [false, 'during 4000 ms (50 queries), after 20 ms (50)'],
      [true, 'idle 1.0 s after it'],
      [true, '180 MB (peak 300 MB)'],
    ]);
    const busy = { ...abandon, idleAfterSeconds: null, cpuAfter: [1, 0.9] } as Abandon;
    expect(judge(run({ abandon: busy })).issue23[1]).toMatchObject({
      met: false,
      measured: 'not idle 1 s after it (90 % of a core in the last window)',
    });
  });
});

describe('the per-row target', () => {
  it('reads the S4 series at 1 connection: average and marginal µs per row above the proxy', () => {
    const at = (scenario: string, subject: string, rows: number, cpu: number) =>
      ({ ...cell(subject, 1, 1), scenario, rows, subjectCpuMicrosPerRequest: cpu }) as CellResult;
    const cells = [
      ...[
        ['S4-10', 10, 1000, 300],
        ['S4-100', 100, 2000, 400],
        ['S2', 1000, 11000, 600],
      ],
      ...[['S4-10000', 10_000, 97_000, 3000]],
    ].flatMap(([scenario, rows, gateway, proxy]) => [
      at(String(scenario), 'gateway', Number(rows), Number(gateway)),
      at(String(scenario), 'proxy', Number(rows), Number(proxy)),
    ]);
    expect(evaluate(named('S2/S4 added CPU per row'), run({ cells }))).toMatchObject({
      met: false,
      measured:
        'average µs/row 10: 70.00, 100: 16.00, 1000: 10.40, 10000: 9.40; marginal →100: 10.00, →1000: 9.78, →10000: 9.29',
    });
  });
});

describe('the plan filters', () => {
  it('keep the soaks only when S1 is measured', () => {
    expect(restrict(FULL_PLAN, ['S4-10000']).soakSeconds).toBe(0);
    expect(restrict(FULL_PLAN, ['S1']).soakSeconds).toBe(60);
    const withProxy = restrict(FULL_PLAN, [], ['proxy']).groups;
    expect(withProxy.every((g) => g.subjects.includes('proxy'))).toBe(true);
  });

  it('run the abandoning clients alone with --scenarios abandon, and skip them otherwise', () => {
    const alone = restrict(FULL_PLAN, ['abandon']);
    expect(alone.groups).toEqual([]);
    expect([alone.abandonSeconds, alone.soakSeconds, alone.peerSoakSeconds]).toEqual([10, 0, 0]);
    expect(restrict(FULL_PLAN, ['S1']).abandonSeconds).toBe(0);
    expect(restrict(FULL_PLAN, [], ['proxy']).abandonSeconds).toBe(0);
    expect(restrict(FULL_PLAN).abandonSeconds).toBe(10);
  });
});

describe('the statistics helper', () => {
  it('interpolates quantiles, so the median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([5, 1, 3], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
    expect(quantile([0, 100], 0.99)).toBe(99);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
