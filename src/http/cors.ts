import type { CORSOptions } from 'graphql-yoga';

/**
 * CORS for the configured origins only. Yoga's own origin list answers an
 * origin it does not know with `Access-Control-Allow-Origin: null` (with two or
 * more origins), which with credentials admits every opaque origin: sandboxed
 * iframes, `data:` and `file:` pages all send `Origin: null`. Here an origin is
 * allowed only when it equals a configured one exactly; any other request gets
 * no CORS headers at all, so the browser keeps the response from the page.
 */
export function corsFor(origins: readonly string[]): false | ((request: Request) => CORSOptions) {
  if (origins.length === 0) return false;
  // `https://app.example/` in the configuration is the origin `https://app.example`.
  const allowed = new Set(origins.map((origin) => new URL(origin).origin));
  return (request) => {
    const origin = request.headers.get('origin');
    return origin !== null && allowed.has(origin) ? { origin, credentials: true } : false;
  };
}
