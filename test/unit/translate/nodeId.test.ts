import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { availableVirtualNumbers, virtualNumberGroups } from '../../../src/api/index.js';
import { methodOfType, parseKey, parseNodeId } from '../../../src/translate/nodeId.js';

describe('methodOfType', () => {
  it('finds the method of a row type, and nothing for any other name', () => {
    expect(methodOfType('AvailableNumber')).toBe(availableVirtualNumbers);
    expect(methodOfType('VirtualNumberGroup')).toBe(virtualNumberGroups);
    expect(methodOfType('Query')).toBeUndefined();
  });
});

describe('parseKey on an int key', () => {
  const key = (raw: unknown) => parseKey(virtualNumberGroups, raw);

  it('takes safe integers, not fractions, unsafe integers or other types', () => {
    expect(key(5)).toBe(5);
    expect(key(-5)).toBe(-5);
    expect(key(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(key(2 ** 53)).toBeNull();
    expect(key(1.5)).toBeNull();
    expect(key(true)).toBeNull();
    expect(key(null)).toBeNull();
    // An array of one digit string reads as "5" to a RegExp and as 5 to Number: still no key.
    expect(key(['5'])).toBeNull();
  });

  it('takes decimal text of 1 to 15 digits, signed or not', () => {
    expect(key('4')).toBe(4);
    expect(key('42')).toBe(42);
    expect(key('-7')).toBe(-7);
    expect(key('123456789012345')).toBe(123456789012345);
  });

  it.each(['', '-', '1234567890123456', 'x42', '42x', '4 2', '+4', '4.0', '--4', '١'])(
    'refuses the text %j',
    (text) => {
      expect(key(text)).toBeNull();
    },
  );
});

describe('parseKey on a string key', () => {
  it('takes text as it is, nothing else', () => {
    expect(parseKey(availableVirtualNumbers, '74951234567')).toBe('74951234567');
    expect(parseKey(availableVirtualNumbers, '')).toBe('');
    expect(parseKey(availableVirtualNumbers, 74951234567)).toBeNull();
  });
});

describe('parseNodeId', () => {
  it('reads a global id of a row type into its method and key', () => {
    expect(parseNodeId(encodeGlobalID('VirtualNumberGroup', 5))).toEqual({
      method: virtualNumberGroups,
      key: 5,
    });
    expect(parseNodeId(encodeGlobalID('AvailableNumber', '7495:1'))).toEqual({
      method: availableVirtualNumbers,
      key: '7495:1',
    });
  });

  it.each([
    ['text that is no global id', 'not a global id'],
    ['a global id of another type', encodeGlobalID('Query', 5)],
    ['a key that does not fit the type', encodeGlobalID('VirtualNumberGroup', 'five')],
  ])('is null for %s', (_name, id) => {
    expect(parseNodeId(id)).toBeNull();
  });
});
