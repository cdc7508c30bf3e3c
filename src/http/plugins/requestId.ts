import type { Plugin } from 'graphql-yoga';
import { requestIdFor } from '../../observability/requestId.js';

/** Echoes the request id in the `x-request-id` response header. */
export function useRequestIdHeader(): Plugin {
  return {
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdFor(request));
    },
  };
}
