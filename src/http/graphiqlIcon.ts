/**
 * GraphiQL's favicon with only the sizes a browser tab draws. Yoga's icon
 * holds six images, 16 to 256 px (114 KB, 22 KB at brotli 11); a tab shows
 * 16 px, or 32 px on a high-density screen, so those two are kept (5 KB).
 *
 * An .ico file is a 6-byte header (reserved 0, type 1, image count), one
 * 16-byte entry per image (width, height, colours, reserved, planes, bits per
 * pixel, byte size, offset), then the images; a width or height of 0 means 256.
 */

export class IconFormatError extends Error {
  override readonly name = 'IconFormatError';
}

const HEADER = 6;
const ENTRY = 16;

interface IconImage {
  /** The entry's first 8 bytes (size, colours, planes, bits), kept as they are. */
  readonly entry: Uint8Array;
  readonly size: number;
  readonly data: Uint8Array;
}

function imagesOf(ico: Uint8Array): IconImage[] {
  const view = new DataView(ico.buffer, ico.byteOffset, ico.byteLength);
  if (ico.byteLength < HEADER || view.getUint16(0, true) !== 0 || view.getUint16(2, true) !== 1) {
    throw new IconFormatError('not an .ico file (header is not 0, 1)');
  }
  const count = view.getUint16(4, true);
  if (ico.byteLength < HEADER + count * ENTRY) {
    throw new IconFormatError(`.ico file cut short: ${String(count)} entries announced`);
  }
  return Array.from({ length: count }, (_, i) => {
    const at = HEADER + i * ENTRY;
    const bytes = view.getUint32(at + 8, true);
    const offset = view.getUint32(at + 12, true);
    if (offset + bytes > ico.byteLength) {
      throw new IconFormatError(`.ico image ${String(i)} lies outside the file`);
    }
    return {
      entry: ico.subarray(at, at + 8),
      size: ico[at] || 256,
      data: ico.subarray(offset, offset + bytes),
    };
  });
}

/** `ico` with only the images of the given sizes (px), in its own order; throws when none is there. */
export function iconWithSizes(ico: Uint8Array, sizes: readonly number[]): Uint8Array {
  const kept = imagesOf(ico).filter((image) => sizes.includes(image.size));
  if (kept.length === 0) {
    throw new IconFormatError(`.ico file has no image of ${sizes.join(' or ')} px`);
  }
  const dataStart = HEADER + kept.length * ENTRY;
  const out = new Uint8Array(dataStart + kept.reduce((sum, image) => sum + image.data.length, 0));
  const view = new DataView(out.buffer);
  view.setUint16(2, 1, true);
  view.setUint16(4, kept.length, true);
  let offset = dataStart;
  kept.forEach((image, i) => {
    const at = HEADER + i * ENTRY;
    out.set(image.entry, at);
    view.setUint32(at + 8, image.data.length, true);
    view.setUint32(at + 12, offset, true);
    out.set(image.data, offset);
    offset += image.data.length;
  });
  return out;
}

/** What a browser tab draws: 16 px, and 32 px on a high-density screen. */
export const TAB_ICON_SIZES = [16, 32] as const;
