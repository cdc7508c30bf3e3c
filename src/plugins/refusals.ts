import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import { createGraphQLError } from 'graphql-yoga';

/** The header a browser cannot add to a cross-site request without a CORS preflight. */
export const CSRF_HEADER = 'x-graphql-csrf';

/**
 * Yoga's CSRF prevention, its 403 given a code and a message saying what to
 * send: GET requests, and POST bodies a plain HTML form can send, must carry
 * the header.
 */
export function useCsrfPrevention(): Plugin {
  const plugin = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  const refused = () =>
    createGraphQLError(
      `Refused as a possible cross-site request: send the ${CSRF_HEADER} header (any value) ` +
        'with GET requests and with form or text/plain POST bodies, or POST application/json.',
      { extensions: { code: 'CSRF_REJECTED', http: { status: 403 } } },
    );
  return {
    onRequestParse(payload) {
      let result: ReturnType<NonNullable<typeof plugin.onRequestParse>>;
      try {
        result = plugin.onRequestParse?.(payload);
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

function refusal(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/**
 * Yoga answers an unknown path (404) and a body it cannot parse (415) with an
 * empty body; these get a GraphQL-shaped error with a code like every other
 * refusal.
 */
export function useRefusalBodies(endpoint: string): Plugin {
  return {
    onResponse(payload) {
      const { response } = payload;
      if (response.status !== 404 && response.status !== 415) return;
      // Only Yoga's own empty answers: a body with a type is someone's deliberate reply.
      if (response.headers.get('content-type') !== null) return;
      if (response.status === 404) {
        payload.setResponse(
          refusal(404, 'NOT_FOUND', `Nothing is served here; GraphQL requests go to ${endpoint}.`),
        );
        return;
      }
      payload.setResponse(
        refusal(
          415,
          'BAD_REQUEST',
          'Unsupported content type: send POST with application/json, ' +
            'or GET with the query in the URL.',
        ),
      );
    },
  };
}
