/** Which cells a run measures and for how long: the full matrix, or the quick proof. */
import type { SubjectKind } from './cell.js';
import type { UpstreamKind } from './children.js';
import type { ScenarioId } from './scenarios.js';

/** One scenario: which subjects measure it, at which connection counts. */
export interface CellGroup {
  readonly scenario: ScenarioId;
  readonly subjects: readonly SubjectKind[];
  readonly connections: readonly number[];
}

export interface Plan {
  readonly quick: boolean;
  readonly upstreams: readonly UpstreamKind[];
  readonly groups: readonly CellGroup[];
  readonly warmupSeconds: number;
  /**
   * Once per subject process, before its first cell: every scenario of the plan
   * at the largest connection count, so V8 has compiled the hot paths and the
   * 1-connection cells measure a warm process, not a cold start.
   */
  readonly subjectWarmupSeconds: number;
  readonly seconds: number;
  /** The gateway's memory soak on distinct S1 at 32 connections; 0 skips every soak. */
  readonly soakSeconds: number;
  /** Load before the soak's first sample, while the heap grows to its working size. */
  readonly soakWarmupSeconds: number;
  /** The proxy's and the Mesh peer's soaks (their live heap at the end is what is asked). */
  readonly peerSoakSeconds: number;
}

const PEERS: readonly SubjectKind[] = ['proxy', 'gateway', 'mesh'];
const WITH_DIRECT: readonly SubjectKind[] = ['direct', ...PEERS];

/**
 * Distinct traffic everywhere but the labelled coalescing cell; S1 at 1 and 32
 * connections for the headline targets (and the gateway without its memory
 * flags beside it); the row series at 1 connection; 32 concurrent 10 000-row
 * pages for peak memory. About nine minutes on two quiet cores.
 */
export const FULL_PLAN: Plan = {
  quick: false,
  upstreams: ['static'],
  groups: [
    { scenario: 'S1', subjects: [...WITH_DIRECT, 'gateway-noflags'], connections: [1, 32] },
    { scenario: 'S1-same', subjects: WITH_DIRECT, connections: [32] },
    { scenario: 'S3', subjects: ['direct', 'proxy', 'gateway'], connections: [32] },
    { scenario: 'S4-10', subjects: PEERS, connections: [1] },
    { scenario: 'S4-100', subjects: PEERS, connections: [1] },
    { scenario: 'S2', subjects: PEERS, connections: [1] },
    { scenario: 'S4-10000', subjects: PEERS, connections: [1, 32] },
  ],
  warmupSeconds: 1,
  subjectWarmupSeconds: 2,
  seconds: 4,
  soakSeconds: 60,
  soakWarmupSeconds: 15,
  peerSoakSeconds: 15,
};

/**
 * Proves every subject, upstream and kind of request works, under concurrency;
 * its speed figures mean little. autocannon ends runs on whole seconds, so one
 * second per cell and no separate warm-up is the shortest honest cell.
 */
export const QUICK_PLAN: Plan = {
  quick: true,
  upstreams: ['static', 'emulator'],
  groups: [
    {
      scenario: 'S1',
      subjects: ['direct', 'proxy', 'gateway', 'gateway-cache'],
      connections: [32],
    },
    { scenario: 'S1-same', subjects: ['proxy', 'gateway'], connections: [32] },
    { scenario: 'S2', subjects: ['direct', 'proxy', 'gateway'], connections: [32] },
    {
      scenario: 'S3',
      subjects: ['direct', 'proxy', 'gateway', 'gateway-cache'],
      connections: [32],
    },
  ],
  warmupSeconds: 0,
  subjectWarmupSeconds: 1,
  seconds: 1,
  soakSeconds: 0,
  soakWarmupSeconds: 0,
  peerSoakSeconds: 0,
};

/** The subjects a plan measures, in the order they run. */
export function subjectsOf(plan: Plan): SubjectKind[] {
  return [...new Set(plan.groups.flatMap((group) => group.subjects))];
}

/** The scenarios a subject measures, each with its connection counts. */
export function groupsFor(plan: Plan, subject: SubjectKind): CellGroup[] {
  return plan.groups.filter((group) => group.subjects.includes(subject));
}

/** The plan restricted to some scenarios, subjects or connection counts (command-line filters). */
export function restrict(
  plan: Plan,
  only: {
    scenarios?: readonly ScenarioId[];
    subjects?: readonly SubjectKind[];
    connections?: readonly number[];
  },
): Plan {
  const groups = plan.groups
    .filter((group) => !only.scenarios || only.scenarios.includes(group.scenario))
    .map((group) => ({
      ...group,
      subjects: only.subjects
        ? group.subjects.filter((s) => only.subjects?.includes(s))
        : group.subjects,
      connections: only.connections ?? group.connections,
    }))
    .filter((group) => group.subjects.length > 0);
  // A subject asked for by name but absent from the plan's groups is measured on every kept scenario.
  const missing = (only.subjects ?? []).filter((s) => !groups.some((g) => g.subjects.includes(s)));
  return {
    ...plan,
    groups: groups.map((group) => ({ ...group, subjects: [...group.subjects, ...missing] })),
  };
}
