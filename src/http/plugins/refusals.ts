import type { Plugin } from 'graphql-yoga';

/** A refusal before execution, shaped as a GraphQL response with a code. */
export function refusal(status: number, code: string, message: string): Response {
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
