import { describe, expect, it } from 'vitest';
import type { CellResult } from '../../../bench/cell.js';
import type { WarmUp } from '../../../bench/run.js';
import type { Soak } from '../../../bench/soak.js';
import { errorTarget } from '../../../bench/targets.js';

// Only the fields the error target reads.
const cell = (subject: string, errors: number) => ({ subject, errors }) as unknown as CellResult;
const warmUp = (subject: string, errors: number) => ({ subject, errors }) as unknown as WarmUp;
const soak = (subject: string, errors: number) => ({ subject, errors }) as unknown as Soak;

describe('the error target', () => {
  it('is met when only the peer failed, and says whose errors they were', () => {
    const target = errorTarget(
      [cell('gateway', 0), cell('mesh', 6), cell('proxy', 0)],
      [warmUp('mesh', 1)],
      [soak('gateway', 0)],
    );
    expect(target.met).toBe(true);
    expect(target.measured).toBe('7 errors in 2 of 3 cells and 1 warm-ups and 1 soaks (mesh 7)');
  });

  it('is not met when the gateway, direct or the proxy failed, in a cell, a warm-up or a soak', () => {
    expect(errorTarget([cell('gateway', 1)], [], []).met).toBe(false);
    expect(errorTarget([cell('direct', 0)], [warmUp('proxy', 2)], []).met).toBe(false);
    expect(errorTarget([], [], [soak('gateway', 3)]).met).toBe(false);
    expect(errorTarget([cell('gateway', 0)], [], []).measured).toBe('0 errors in 0 of 1 cells');
  });
});
