/** Which cells a run measures and for how long: the full matrix, or the quick proof. */
import type { SubjectKind } from './cell.js';
import { SUBJECTS } from './cell.js';
import type { UpstreamKind } from './children.js';
import type { ScenarioId } from './scenarios.js';

export interface Plan {
  readonly quick: boolean;
  readonly upstreams: readonly UpstreamKind[];
  readonly subjects: readonly SubjectKind[];
  readonly scenarios: readonly ScenarioId[];
  /** The scenarios `gateway-cache` runs (the cache's effect shows on the first few). */
  readonly cachedScenarios: readonly ScenarioId[];
  readonly connections: readonly number[];
  readonly warmupSeconds: number;
  /**
   * Once per subject process, before its first cell: every scenario of the plan
   * at the largest connection count, so V8 has compiled the hot paths and the
   * 1-connection cells measure a warm process, not a cold start.
   */
  readonly subjectWarmupSeconds: number;
  readonly seconds: number;
  /** The long S3 run watching the gateway's memory; 0 skips it. */
  readonly soakSeconds: number;
  /** S3 load before the soak's first sample, while the heap grows to its working size. */
  readonly soakWarmupSeconds: number;
}

const EVERY_UPSTREAM: readonly UpstreamKind[] = ['static', 'emulator'];
const EVERY_SUBJECT: readonly SubjectKind[] = SUBJECTS;

/** 80 cells of 1 + 4 s, 2 s per scenario to warm each subject, a 30 + 60 s soak: about eleven minutes on two cores. */
export const FULL_PLAN: Plan = {
  quick: false,
  upstreams: EVERY_UPSTREAM,
  subjects: EVERY_SUBJECT,
  scenarios: ['S1', 'S2', 'S3', 'S4-10', 'S4-100', 'S4-10000'],
  cachedScenarios: ['S1', 'S3'],
  connections: [1, 32],
  warmupSeconds: 1,
  subjectWarmupSeconds: 2,
  seconds: 4,
  soakSeconds: 60,
  soakWarmupSeconds: 30,
};

/**
 * Proves every subject, upstream and kind of request works, under concurrency;
 * its speed figures mean little. autocannon ends runs on whole seconds, so one
 * second per cell and no separate warm-up is the shortest honest cell.
 */
export const QUICK_PLAN: Plan = {
  quick: true,
  upstreams: EVERY_UPSTREAM,
  subjects: EVERY_SUBJECT,
  scenarios: ['S1', 'S2', 'S3'],
  cachedScenarios: ['S1', 'S3'],
  connections: [32],
  warmupSeconds: 0,
  subjectWarmupSeconds: 1,
  seconds: 1,
  soakSeconds: 0,
  soakWarmupSeconds: 0,
};
