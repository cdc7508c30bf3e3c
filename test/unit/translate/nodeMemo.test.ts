import { describe, expect, it } from 'vitest';
import { NodeMemo } from '../../../src/translate/nodeMemo.js';

/** A compute function that counts its calls and returns a fresh object each time. */
function counter(label: string) {
  const counted = {
    calls: 0,
    compute: () => {
      counted.calls += 1;
      return { label, call: counted.calls };
    },
  };
  return counted;
}

describe('NodeMemo', () => {
  it('computes once per node and key, then returns the same value', () => {
    const memo = new NodeMemo<object, { label: string; call: number }>();
    const node = {};
    const a = counter('a');
    const first = memo.get(node, 'k', a.compute);
    expect(memo.get(node, 'k', a.compute)).toBe(first);
    expect(a.calls).toBe(1);
  });

  it('keeps keys of one node apart', () => {
    const memo = new NodeMemo<object, { label: string; call: number }>();
    const node = {};
    expect(memo.get(node, 'x', counter('x').compute).label).toBe('x');
    expect(memo.get(node, 'y', counter('y').compute).label).toBe('y');
    expect(memo.get(node, 'x', counter('other').compute).label).toBe('x');
  });

  it('keeps nodes apart under the same key', () => {
    const memo = new NodeMemo<object, { label: string; call: number }>();
    expect(memo.get({}, 'k', counter('one').compute).label).toBe('one');
    expect(memo.get({}, 'k', counter('two').compute).label).toBe('two');
  });

  it('keeps up to maxVariants keys per node, then starts that node over', () => {
    const memo = new NodeMemo<object, string>(2);
    const node = {};
    const other = {};
    let calls = 0;
    const compute = (value: string) => () => {
      calls += 1;
      return value;
    };
    memo.get(node, 'a', compute('a'));
    memo.get(node, 'b', compute('b'));
    memo.get(other, 'a', compute('other a'));
    // Exactly at the bound: both keys are still kept.
    expect([memo.get(node, 'a', compute('!')), memo.get(node, 'b', compute('!'))]).toEqual([
      'a',
      'b',
    ]);
    expect(calls).toBe(3);
    // One past it: the node's entries start over with the new key only.
    expect(memo.get(node, 'c', compute('c'))).toBe('c');
    expect(memo.get(node, 'c', compute('!'))).toBe('c');
    expect(memo.get(node, 'a', compute('a again'))).toBe('a again');
    expect(calls).toBe(5);
    // Another node's entries are untouched.
    expect(memo.get(other, 'a', compute('!'))).toBe('other a');
  });

  it('keeps 32 variants per node by default', () => {
    const memo = new NodeMemo<object, string>();
    const node = {};
    const keys = Array.from({ length: 32 }, (_, i) => `k${i}`);
    for (const key of keys) memo.get(node, key, () => key);
    expect(keys.map((key) => memo.get(node, key, () => 'recomputed'))).toEqual(keys);
    memo.get(node, 'k32', () => 'k32');
    expect(memo.get(node, 'k0', () => 'recomputed')).toBe('recomputed');
  });

  it('caches falsy values too', () => {
    const memo = new NodeMemo<object, number>();
    const node = {};
    memo.get(node, 'k', () => 0);
    expect(memo.get(node, 'k', () => 1)).toBe(0);
  });
});
