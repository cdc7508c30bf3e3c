/**
 * Request bodies, in one place: their size limit (MAX_BODY_BYTES), their
 * Content-Encoding, and the parsing of a JSON body.
 *
 * - A chunked body must declare its length, and a length over the limit is
 *   refused before anything is read: with Content-Length known, Node's HTTP parser
 *   reads no more than that, so the limit cannot be evaded by a chunked stream.
 * - A gzip, deflate or br body is decoded as it is read, and refused as soon
 *   as the decoded bytes pass the same limit (PAYLOAD_TOO_LARGE); one that
 *   does not decode is BAD_REQUEST; any other coding is UNSUPPORTED_MEDIA_TYPE
 *   with the codings accepted in `Accept-Encoding` (RFC 9110 §15.5.16).
 *   Decoding happens only when Yoga reads the body, after the checks that
 *   need no body (CSRF, credentials).
 * - A JSON body that does not parse is BAD_REQUEST with a message of ours:
 *   Yoga's own parser answers with the JSON parser's text (which quotes the
 *   whole body) in `extensions.originalError`.
 *
 * An unencoded body costs what it did, give or take two header reads: no
 * stream is added in its path.
 */
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { RequestCoding } from '../contentEncoding.js';
import {
  BodyDecodingError,
  REQUEST_CODINGS,
  UNSUPPORTED,
  decodeBody,
  requestCoding,
} from '../contentEncoding.js';
import { refusal, refusalResponse } from '../refuse.js';

type RequestParser = NonNullable<
  Parameters<NonNullable<Plugin['onRequestParse']>>[0]['requestParser']
>;

const ACCEPTED_CODINGS = REQUEST_CODINGS.join(', ');

function tooLarge(maxBytes: number, decodedFrom?: RequestCoding): string {
  const decoded = decodedFrom ? ` once decoded from ${decodedFrom}` : '';
  return `The request body is larger than the limit of ${maxBytes} bytes (MAX_BODY_BYTES)${decoded}.`;
}

/**
 * Yoga's test for a JSON body (application/json or application/graphql+json,
 * the first of a list), without its split.
 */
export const JSON_BODY = /^application\/(?:graphql\+)?json(?:[;,]|$)/;

/**
 * A JSON body as GraphQL parameters (an object, or an array that Yoga's
 * batching check refuses), as Yoga's parser reads it but with our messages.
 * `then`, not `await`: a body already read resolves at once, as in Yoga's.
 */
function parseJsonBody(request: Request): Promise<GraphQLParams | GraphQLParams[]> {
  return request.text().then(paramsOf, unreadable);
}

function paramsOf(text: string): GraphQLParams | GraphQLParams[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw refusal('BAD_REQUEST', 'The request body is not valid JSON.');
  }
  if (body === null || typeof body !== 'object') {
    throw refusal(
      'BAD_REQUEST',
      'The request body must be a JSON object with the GraphQL request ({"query": …}).',
    );
  }
  return body as GraphQLParams | GraphQLParams[];
}

function unreadable(): never {
  throw refusal('BAD_REQUEST', 'The request body could not be read.');
}

/**
 * `request` with its body decoded from `coding`, as a request without a
 * Content-Encoding for `parse` to read.
 */
async function decoded(
  request: Request,
  coding: RequestCoding,
  maxBytes: number,
  fetchAPI: { Request: typeof Request; Headers: typeof Headers },
): Promise<Request> {
  let body: Buffer;
  try {
    body = request.body
      ? await decodeBody(request.body.getReader(), coding, maxBytes)
      : await decodeBody(EMPTY_BODY, coding, maxBytes);
  } catch (error) {
    if (!(error instanceof BodyDecodingError)) throw error;
    switch (error.reason) {
      case 'too-large':
        throw refusal('PAYLOAD_TOO_LARGE', tooLarge(maxBytes, coding), {
          setting: 'MAX_BODY_BYTES',
          limit: maxBytes,
        });
      case 'corrupt':
        throw refusal(
          'BAD_REQUEST',
          `The request body is not valid ${coding} data (Content-Encoding: ${coding}).`,
        );
      case 'unreadable':
        throw refusal('BAD_REQUEST', 'The request body could not be read.');
    }
  }
  const headers = new fetchAPI.Headers(request.headers);
  headers.delete('content-encoding');
  headers.set('content-length', String(body.byteLength));
  // A copy in a plain ArrayBuffer: Buffer.concat's result may sit in Node's shared pool.
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers,
    body: new Uint8Array(body),
  });
}

const EMPTY_BODY = { read: () => Promise.resolve({ done: true as const }) };

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
          refusalResponse('PAYLOAD_TOO_LARGE', tooLarge(maxBytes), {
            setting: 'MAX_BODY_BYTES',
            limit: maxBytes,
          }),
        );
      }
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.method !== 'POST' || requestParser === undefined) return;
      const parse: RequestParser = JSON_BODY.test(request.headers.get('content-type') ?? '')
        ? parseJsonBody
        : requestParser;
      const coding = requestCoding(request.headers.get('content-encoding'));
      if (coding === undefined) {
        setRequestParser(parse);
        return;
      }
      if (coding === UNSUPPORTED) {
        throw refusal(
          'UNSUPPORTED_MEDIA_TYPE',
          `The request body has a Content-Encoding the gateway cannot decode: send it as one of ${ACCEPTED_CODINGS}, or unencoded.`,
          { accepted: [...REQUEST_CODINGS] },
          { 'accept-encoding': ACCEPTED_CODINGS },
        );
      }
      setRequestParser(async (encoded) =>
        parse(await decoded(encoded, coding, maxBytes, fetchAPI)),
      );
    },
  };
}
