/** Which cells a run measures and for how long: the full matrix, or the quick proof. */
import type { SubjectKind } from './measure.js';
import type { UpstreamKind } from './children.js';
import type { ScenarioId } from './scenarios.js';

type Subjects = readonly SubjectKind[];
/** One scenario: which subjects measure it, at which connection counts. */
const group = (scenario: ScenarioId, subjects: Subjects, connections: readonly number[]) => {
  return { scenario, subjects, connections };
};
const PEERS: readonly SubjectKind[] = ['proxy', 'gateway', 'mesh'];

/**
 * Distinct traffic but in the coalescing cell; S1 at 1 and 32 connections (beside it the gateway
 * without its node flags), the row series at 1, 32 concurrent 10 000-row pages, the soaks, the
 * abandoning clients. About eight minutes on two quiet cores.
 */
export const FULL_PLAN = {
  quick: false,
  upstreams: ['static'] as readonly UpstreamKind[],
  groups: [
    group('S1', ['direct', ...PEERS, 'gateway-noflags'], [1, 32]),
    group('S1-same', ['direct', ...PEERS], [32]),
    group('S3', ['direct', 'proxy', 'gateway'], [32]),
    group('S4-10', PEERS, [1]),
    group('S4-100', PEERS, [1]),
    group('S2', PEERS, [1]),
    group('S4-10000', PEERS, [1, 32]),
  ],
  warmupSeconds: 1,
  /** Before a subject's first cell, every scenario at its largest connection count: no cell measures a cold process. */
  subjectWarmupSeconds: 2,
  seconds: 4,
  /** The gateway's memory soak on distinct S1 at 32 connections (0 skips every soak), after its warm-up. */
  soakSeconds: 60,
  soakWarmupSeconds: 15,
  /** The proxy's and the Mesh peer's soaks. */
  peerSoakSeconds: 15,
  /** The abandoning clients' attack on the gateway (abandon.ts); 0 skips it. */
  abandonSeconds: 10,
};
export type Plan = typeof FULL_PLAN;

/**
 * Proves every subject, upstream and kind of request works under concurrency (its speed means
 * little): a second per cell, without a separate warm-up, autocannon ending runs on whole seconds.
 */
export const QUICK_PLAN: Plan = {
  quick: true,
  upstreams: ['static', 'emulator'],
  groups: [
    group('S1', ['direct', 'proxy', 'gateway', 'gateway-cache'], [32]),
    group('S1-same', ['proxy', 'gateway'], [32]),
    group('S2', ['direct', 'proxy', 'gateway'], [32]),
    group('S3', ['direct', 'proxy', 'gateway', 'gateway-cache'], [32]),
  ],
  warmupSeconds: 0,
  subjectWarmupSeconds: 1,
  seconds: 1,
  soakSeconds: 0,
  soakWarmupSeconds: 0,
  peerSoakSeconds: 0,
  abandonSeconds: 0,
};

/**
 * The plan as the command line restricts it: `abandon` names the attack; the soaks (of S1) run only
 * with S1; a subject named but absent from the plan joins every kept scenario.
 */
export function restrict(
  plan: Plan,
  scenarios: readonly (ScenarioId | 'abandon')[] = [],
  subjects: Subjects = [],
  connections?: readonly number[],
): Plan {
  const kept = (list: readonly string[], item: string) => list.length === 0 || list.includes(item);
  const groups = plan.groups.flatMap((g) => {
    const mine = { ...g, subjects: g.subjects.filter((s) => kept(subjects, s)) };
    return kept(scenarios, g.scenario) && mine.subjects.length > 0 ? [mine] : [];
  });
  const all = groups.map((g) => ({ ...g, connections: connections ?? g.connections }));
  const missing = subjects.filter((s) => !groups.some((g) => g.subjects.includes(s)));
  return {
    ...plan,
    groups: all.map((g) => ({ ...g, subjects: [...g.subjects, ...missing] })),
    ...(kept(scenarios, 'S1') ? {} : { soakSeconds: 0, peerSoakSeconds: 0 }),
    ...(kept(scenarios, 'abandon') && kept(subjects, 'gateway') ? {} : { abandonSeconds: 0 }),
  };
}
