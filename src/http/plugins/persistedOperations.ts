/**
 * Allow-list mode for production: only operations registered in a JSON file
 * (sha256 hash → document) run; any document sent as text is refused.
 *
 * Clients send the hash the way Apollo's persisted queries do,
 * `extensions: { persistedQuery: { version: 1, sha256Hash: "<hex>" } }`. The
 * file is the one GraphQL Code Generator's client-preset writes
 * (`persisted-documents.json`, keys `sha256:<hex>`); bare hex keys work too.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { refusal } from '../refuse.js';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { ErrorCode } from '../../api/errors.js';
import { ConfigError } from '../../config/config.js';
import type { Logger } from '../../observability/logger.js';

const VARIABLE = 'PERSISTED_OPERATIONS_FILE';
const KEY = /^(?:sha256:)?([0-9a-f]{64})$/;

/** Apollo Router's codes for the same refusals, which client tooling already knows. */
const ID_REQUIRED = 'PERSISTED_QUERY_ID_REQUIRED' satisfies ErrorCode;
const NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST' satisfies ErrorCode;

/**
 * Reads and checks the allow-list: every key must be the sha256 of its
 * document, and every document must parse, so a hand-edited or stale file
 * stops start-up instead of refusing requests later. Returns hex hash → document.
 */
export function loadPersistedOperations(file: string): ReadonlyMap<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${VARIABLE}: cannot read ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${VARIABLE}: ${file} must be a JSON object of sha256 hash → document`);
  }
  const operations = new Map<string, string>();
  for (const [key, document] of Object.entries(parsed)) {
    const hash = KEY.exec(key)?.[1];
    if (hash === undefined || typeof document !== 'string') {
      throw new ConfigError(
        `${VARIABLE}: entry "${key}" of ${file} must map a sha256 hex hash to a document string`,
      );
    }
    if (createHash('sha256').update(document).digest('hex') !== hash) {
      throw new ConfigError(
        `${VARIABLE}: entry "${key}" of ${file} is not the hash of its document`,
      );
    }
    try {
      parse(document);
    } catch (error) {
      throw new ConfigError(
        `${VARIABLE}: entry "${key}" of ${file} is not a GraphQL document: ${(error as Error).message}`,
      );
    }
    operations.set(hash, document);
  }
  return operations;
}

/** The hash a client sent, for the refusal's message. */
function sentHash(extensions: Record<string, unknown> | undefined): string | undefined {
  const persisted = extensions?.persistedQuery;
  if (typeof persisted !== 'object' || persisted === null || !('sha256Hash' in persisted)) {
    return undefined;
  }
  return typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

/** Runs only the operations of `file` (see the module comment). */
export function usePersistedOperationsFile(file: string, logger: Logger): Plugin {
  const operations = loadPersistedOperations(file);
  logger.info(
    { persistedOperations: operations.size },
    `allow-list mode: ${operations.size} registered operations (${file}); any other is refused`,
  );
  return usePersistedOperations({
    getPersistedOperation: (key) => operations.get(key.replace(/^sha256:/, '')) ?? null,
    allowArbitraryOperations: false,
    customErrors: {
      persistedQueryOnly: () =>
        refusal(
          ID_REQUIRED,
          'This gateway runs registered operations only: send the sha256 hash of a registered ' +
            'document in extensions.persistedQuery.sha256Hash instead of its text.',
        ),
      keyNotFound: () =>
        refusal(
          ID_REQUIRED,
          'No operation: send the sha256 hash of a registered document in ' +
            'extensions.persistedQuery.sha256Hash.',
        ),
      notFound: ({ params }) =>
        refusal(
          NOT_IN_LIST,
          `No registered operation has the hash ${sentHash(params.extensions) ?? '(none)'}.`,
        ),
    },
  });
}
