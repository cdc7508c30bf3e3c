/**
 * The favicon cut to a browser tab's sizes: the kept images byte for byte,
 * offsets that point at them, and a clear error for what is not an icon.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IconFormatError, iconWithSizes, TAB_ICON_SIZES } from '../../../src/http/graphiqlIcon.js';

interface Entry {
  readonly size: number;
  readonly bits: number;
  readonly data: Buffer;
}

function entriesOf(ico: Uint8Array): Entry[] {
  const buffer = Buffer.from(ico);
  return Array.from({ length: buffer.readUInt16LE(4) }, (_, i) => {
    const at = 6 + 16 * i;
    const bytes = buffer.readUInt32LE(at + 8);
    const offset = buffer.readUInt32LE(at + 12);
    return {
      size: buffer[at] || 256,
      bits: buffer.readUInt16LE(at + 6),
      data: buffer.subarray(offset, offset + bytes),
    };
  });
}

/** An .ico of the given sizes, each image `size` bytes of the value `size % 256`. */
function makeIcon(sizes: readonly number[]): Uint8Array {
  const images = sizes.map((size) => Buffer.alloc(size, size % 256));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, i) => {
    const at = 6 + 16 * i;
    header[at] = size % 256;
    header[at + 1] = size % 256;
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(size, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += size;
  });
  return Buffer.concat([header, ...images]);
}

function yogaIcon(): Uint8Array {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@graphql-yoga/render-graphiql');
  const { favicon } = require(join(dirname(entry), 'graphiql.js')) as { favicon: string };
  return Buffer.from(favicon.replace(/^data:[^,]*;base64,/, ''), 'base64');
}

describe('an icon with only some sizes', () => {
  it('keeps the images of those sizes, byte for byte, in their order', () => {
    const ico = makeIcon([256, 16, 48, 32]);
    const out = iconWithSizes(ico, [32, 16]);

    expect(entriesOf(out).map((e) => e.size)).toEqual([16, 32]);
    for (const entry of entriesOf(out)) {
      expect(entry.data.equals(Buffer.alloc(entry.size, entry.size))).toBe(true);
    }
    expect(out.byteLength).toBe(6 + 2 * 16 + 16 + 32);
  });

  it("cuts GraphiQL's six-image icon to the tab's 16 and 32 px", () => {
    const ico = yogaIcon();
    const original = new Map(entriesOf(ico).map((e) => [e.size, e]));
    const out = iconWithSizes(ico, TAB_ICON_SIZES);

    expect([...original.keys()]).toEqual([256, 128, 64, 48, 32, 16]);
    expect(entriesOf(out).map((e) => e.size)).toEqual([32, 16]);
    for (const entry of entriesOf(out)) {
      const before = original.get(entry.size);
      expect(entry.bits).toBe(before?.bits);
      expect(entry.data.equals(before?.data ?? Buffer.alloc(0))).toBe(true);
    }
    expect(out.byteLength).toBeLessThan(6_000);
  });

  it('refuses what is not an icon, or is cut short, or lacks every size asked for', () => {
    const ico = makeIcon([16, 32]);
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    expect(() => iconWithSizes(png, [16])).toThrow(IconFormatError);
    expect(() => iconWithSizes(ico.subarray(0, 20), [16])).toThrow('cut short');
    expect(() => iconWithSizes(ico.subarray(0, ico.byteLength - 1), [16])).toThrow(
      'image 1 lies outside the file',
    );
    expect(() => iconWithSizes(ico, [64])).toThrow('no image of 64 px');
  });
});
