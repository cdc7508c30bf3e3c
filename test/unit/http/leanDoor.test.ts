import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { takes } from '../../../src/http/leanDoor.js';

const MAX = 1000;

function request(
  headers: Record<string, string>,
  { method = 'POST', url = '/graphql' }: { method?: string; url?: string } = {},
): IncomingMessage {
  return { method, url, headers } as unknown as IncomingMessage;
}

const plain = { 'content-type': 'application/json', 'content-length': '20' };

describe('the lean door takes', () => {
  it.each([
    ['a plain JSON POST', {}],
    ['with a charset', { 'content-type': 'application/json; charset=utf-8' }],
    ['application/graphql+json', { 'content-type': 'application/graphql+json' }],
    ['accepting JSON', { accept: 'application/json' }],
    ['accepting GraphQL responses', { accept: 'application/graphql-response+json' }],
    ['accepting anything', { accept: '*/*' }],
    ['a Bearer token', { authorization: 'Bearer abc' }],
    ['a body at the limit', { 'content-length': String(MAX) }],
    ['an Origin (CORS runs in its hooks)', { origin: 'https://app.example' }],
  ])('%s', (_name, headers) => {
    expect(takes(request({ ...plain, ...headers }), '/graphql', MAX)).toBe(true);
  });
});

describe('the lean door leaves to Yoga', () => {
  it.each([
    ['another method', {}, { method: 'GET' }],
    ['another path', {}, { url: '/other' }],
    ['a query string', {}, { url: '/graphql?x=1' }],
    ['no length', { 'content-length': '' }],
    ['a length over the limit', { 'content-length': String(MAX + 1) }],
    ['a length that is not a number', { 'content-length': '1e3' }],
    ['a chunked body', { 'transfer-encoding': 'chunked' }],
    ['an encoded body', { 'content-encoding': 'gzip' }],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['text', { 'content-type': 'text/plain' }],
    ['no content type', { 'content-type': '' }],
    ['an event stream', { accept: 'text/event-stream' }],
    ['multipart', { accept: 'multipart/mixed' }],
    ['weighted media types', { accept: 'application/json;q=0.5' }],
    ['Basic credentials (refused by the credential check)', { authorization: 'Basic eDp5' }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
  ] as [string, Record<string, string>, { method?: string; url?: string }?][])(
    '%s',
    (_name, headers, line) => {
      const merged = { ...plain, ...headers };
      for (const [name, value] of Object.entries(merged)) {
        if (value === '') Reflect.deleteProperty(merged, name);
      }
      expect(takes(request(merged, line), '/graphql', MAX)).toBe(false);
    },
  );
});
