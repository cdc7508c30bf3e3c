import { describe, expect, it } from 'vitest';
import { spacesText, targetLines } from '../../bench/report.js';
import { NOT_MEASURED } from '../../bench/targets.js';

describe("the soak's heap spaces", () => {
  it('groups V8 spaces into young, old, code, large objects and the rest, before → after', () => {
    const text = spacesText({
      beforeGc: {
        new_space: 32,
        new_large_object_space: 2,
        old_space: 120,
        code_space: 4,
        code_large_object_space: 1,
        large_object_space: 10,
        read_only_space: 0.5,
        shared_space: 0.6,
      },
      afterGc: { new_space: 32, old_space: 60, code_space: 4, large_object_space: 2 },
    });
    expect(text).toBe(
      'V8 heap spaces held, MB before → after the GC: young 34 → 32, old 120 → 60, code 5 → 4, large objects 10 → 2, other 1 → 0',
    );
  });
});

describe('the target lines', () => {
  it('print every group under its heading, each target with its verdict', () => {
    const target = (met: boolean | null, measured = 'x') => ({
      name: 'n',
      goal: 'g',
      measured,
      met,
    });
    const lines = targetLines({
      issue14: [target(true), target(false)],
      issue17: [target(null, NOT_MEASURED)],
      issue23: [],
      reported: [target(null)],
    });
    expect(lines).toEqual([
      '',
      'Targets of issue 14 (distinct traffic, static upstream):',
      '- MET: n (g): x',
      '- NOT MET: n (g): x',
      '',
      'Targets of issue 17 (memory):',
      `- NOT MEASURED: n (g): ${NOT_MEASURED}`,
      '',
      'Targets of issue 23 (abandoning clients):',
      '',
      'Reported:',
      '- REPORTED: n (g): x',
    ]);
  });
});
