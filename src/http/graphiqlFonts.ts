/**
 * GraphiQL's stylesheet carries its fonts inline as base64 `data:` URLs: 575 KB
 * of its 813 KB, every subset of Roboto and Fira Code (Latin, Cyrillic, Greek,
 * Vietnamese…) and Monaco's icon font, twice. Inline, all of them travel with
 * the stylesheet; as files of their own, a browser fetches only the subsets
 * whose `unicode-range` the page uses, and the bytes are not base64 (+33 %).
 */

export type FontType = 'font/woff2' | 'font/woff' | 'font/ttf';

const FONT_DATA_URL =
  /url\((["']?)data:(font\/(?:woff2|woff|ttf));base64,([A-Za-z0-9+/]+={0,2})\1\)/g;

/**
 * `css` with each inline font replaced by the URL `toUrl` gives for its bytes
 * (relative URLs resolve against the stylesheet's own URL).
 */
export function replaceInlineFonts(
  css: string,
  toUrl: (type: FontType, body: Uint8Array) => string,
): string {
  return css.replace(FONT_DATA_URL, (_match, _quote, type: FontType, base64: string) => {
    const body = new Uint8Array(Buffer.from(base64, 'base64'));
    return `url(${toUrl(type, body)})`;
  });
}
