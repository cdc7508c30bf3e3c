import { describe, expect, it } from 'vitest';
import { spacesText } from '../../../bench/table.js';

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
