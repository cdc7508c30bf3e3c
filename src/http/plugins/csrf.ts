/**
 * CSRF prevention: a request a browser could send cross-site without a CORS
 * preflight (a GET, or a POST with a form or text/plain body) runs only when
 * it proves it is not such a request. The harm such a request does is
 * spending the Data API's quota (and reaching a gateway the attacker cannot
 * reach, through the victim's browser); its answer stays unreadable cross-site.
 *
 * Two proofs are accepted:
 * - a custom header (`x-graphql-csrf`): a cross-site page cannot add one
 *   without a preflight, which CORS refuses (Yoga's plugin checks this);
 * - `Sec-Fetch-Site: same-origin` (or `none`, a request the user started, such
 *   as a typed URL): browsers set it on every request to an HTTPS or loopback
 *   origin, and scripts cannot set or remove it (a forbidden header), so a
 *   cross-site page cannot produce it. This lets a same-origin browser client,
 *   such as urql's default client (queries as GET with no content type), run.
 *
 * Absence of `Sec-Fetch-Site` proves nothing: browsers omit it towards plain
 * HTTP origins, so a request without it still needs the custom header or a
 * preflighted content type (application/json). `same-site` (another subdomain)
 * is refused as well: a sibling site is not this origin.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import { refusal } from '../refuse.js';

/** The header a browser cannot add to a cross-site request without a CORS preflight. */
export const CSRF_HEADER = 'x-graphql-csrf';

/** Whether the browser vouches that the request comes from this origin or from the user. */
export function sentByThisOrigin(headers: Headers): boolean {
  const site = headers.get('sec-fetch-site');
  return site === 'same-origin' || site === 'none';
}

/** Yoga's check, its 403 given a code and a message saying what to send. */
export function useCsrfPrevention(): Plugin {
  const yogaCheck = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  const refused = () =>
    refusal(
      'CSRF_REJECTED',
      `Refused as a possible cross-site request: send the ${CSRF_HEADER} header (any value) ` +
        'with GET requests and with form or text/plain POST bodies, or POST application/json.',
    );
  return {
    onRequestParse(payload) {
      if (sentByThisOrigin(payload.request.headers)) return;
      let result: ReturnType<NonNullable<typeof yogaCheck.onRequestParse>>;
      try {
        result = yogaCheck.onRequestParse?.(payload);
      } catch {
        throw refused();
      }
      return result instanceof Promise
        ? result.catch(() => {
            throw refused();
          })
        : result;
    },
  };
}
