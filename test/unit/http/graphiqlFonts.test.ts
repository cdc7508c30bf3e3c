/**
 * GraphiQL's stylesheet with its inline fonts moved to files of their own: no
 * font left inline, every reference served, and the bytes unchanged.
 */
import { describe, expect, it } from 'vitest';
import { graphiqlAssets } from '../../../src/http/graphiqlAssets.js';
import { replaceInlineFonts } from '../../../src/http/graphiqlFonts.js';

const MAGIC: Readonly<Record<string, string>> = {
  woff2: 'wOF2',
  woff: 'wOFF',
  ttf: '\u0000\u0001\u0000\u0000',
};

describe('inline fonts of a stylesheet', () => {
  it('replaces each base64 font, quoted or not, with the URL given for its bytes', () => {
    const woff2 = Buffer.from('wOF2 bytes').toString('base64');
    const ttf = Buffer.from('ttf bytes!').toString('base64');
    const css =
      `@font-face{src:url(data:font/woff2;base64,${woff2}) format("woff2")}` +
      `@font-face{src:url("data:font/ttf;base64,${ttf}") format("truetype")}` +
      `.x{background:url(data:image/png;base64,iVBORw0KGgo=)}`;
    const seen: string[] = [];

    const out = replaceInlineFonts(css, (type, body) => {
      seen.push(`${type} ${Buffer.from(body).toString()}`);
      return `f${String(seen.length)}`;
    });

    expect(seen).toEqual(['font/woff2 wOF2 bytes', 'font/ttf ttf bytes!']);
    expect(out).toBe(
      '@font-face{src:url(f1) format("woff2")}@font-face{src:url(f2) format("truetype")}' +
        '.x{background:url(data:image/png;base64,iVBORw0KGgo=)}',
    );
  });

  it("leaves no font inline in GraphiQL's stylesheet, and serves each one it references", () => {
    const { style, fonts, byPath } = graphiqlAssets();
    const css = new TextDecoder().decode(style.body);

    expect(css).not.toMatch(/data:font\//);
    const referenced = [...css.matchAll(/url\((font\.[0-9a-f]{16}\.(woff2|woff|ttf))\)/g)];
    expect(referenced.length).toBeGreaterThanOrEqual(fonts.length);
    expect(new Set(referenced.map((m) => `assets/${m[1] ?? ''}`))).toEqual(
      new Set(fonts.map((f) => f.path)),
    );
    for (const font of fonts) {
      expect(byPath.get(font.path)).toBe(font);
      const ext = font.path.split('.').at(-1) ?? '';
      expect(font.contentType).toBe(`font/${ext}`);
      expect(Buffer.from(font.body.subarray(0, 4)).toString('latin1')).toBe(MAGIC[ext]);
      // woff and woff2 are compressed already; only TrueType is worth compressing.
      expect(font.compressible).toBe(ext === 'ttf');
    }
    // The stylesheet kept the rest: 813 KB with the fonts inline.
    expect(style.body.byteLength).toBeLessThan(300_000);
  });
});
