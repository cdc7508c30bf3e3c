import type { Plugin } from 'graphql-yoga';
import { refusalResponse } from '../refuse.js';

/**
 * Refuses request bodies over `maxBytes` before they are read. A body must
 * declare its length: with Content-Length known, Node's HTTP parser reads no
 * more than that, so the limit cannot be evaded by a chunked stream.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequest(payload) {
      const { request } = payload;
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') {
        return;
      }
      const declared = request.headers.get('content-length');
      if (declared === null) {
        if (request.headers.get('transfer-encoding')) {
          payload.endResponse(
            refusalResponse('LENGTH_REQUIRED', 'A request body must have a Content-Length header.'),
          );
        }
        return;
      }
      const length = Number(declared);
      if (!Number.isSafeInteger(length) || length > maxBytes) {
        payload.endResponse(
          refusalResponse(
            'PAYLOAD_TOO_LARGE',
            `The request body is larger than the limit of ${maxBytes} bytes (MAX_BODY_BYTES).`,
            { setting: 'MAX_BODY_BYTES', limit: maxBytes },
          ),
        );
      }
    },
  };
}
