import type { Plugin } from 'graphql-yoga';
import { requestCredentials } from '../../schema/context.js';
import { refusal } from '../refuse.js';

/**
 * Refuses a GraphQL request whose `Authorization` header the gateway cannot
 * use (anything but one `Bearer <token>`; see requestCredentials) with 401
 * UNAUTHENTICATED and `WWW-Authenticate: Bearer` (RFC 6750 §3), before its
 * body is read and before any API call. Running it with the gateway's own
 * DATA_API_TOKEN instead would answer a client with data of an account it
 * did not ask for, and hide its mistake.
 */
export function useCredentialCheck(): Plugin {
  return {
    onRequestParse({ request }) {
      if (requestCredentials(request.headers.get('authorization')).kind !== 'unusable') return;
      throw refusal(
        'UNAUTHENTICATED',
        'The Authorization header is not one the gateway can use: send one Data API access ' +
          'token as "Authorization: Bearer <token>", or no Authorization header.',
        {},
        { 'www-authenticate': 'Bearer' },
      );
    },
  };
}
