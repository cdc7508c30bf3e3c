/**
 * Automatic persisted queries (Apollo's APQ protocol), for clients such as
 * Apollo Client's `createPersistedQueryLink`: a client sends only the sha256
 * of its document in `extensions.persistedQuery`; an unknown hash gets
 * `PERSISTED_QUERY_NOT_FOUND`, and the client sends the hash with the text,
 * which is checked against the hash, stored and answered; from then on the
 * hash alone is answered, by every replica when the store is in Redis.
 *
 * Written here rather than taken from `@graphql-yoga/plugin-apq`: that plugin
 * declares a peer dependency on `@graphql-tools/utils` 10 while the tree has
 * 11, and it stores a document before it is parsed and validated. Here a
 * document is stored only once it validated, so the store holds operations
 * that can run, not whatever text a client sends.
 *
 * Off in allow-list mode (PERSISTED_OPERATIONS_FILE): there, a hash must be a
 * registered one and no client can register a document.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../../api/errors.js';
import { refusal } from '../refuse.js';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../observability/logger.js';
import type { RequestDeadlines } from '../../upstream/deadline.js';
import type { RedisLink } from '../../upstream/redis.js';

export const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND' satisfies ErrorCode;
export const PERSISTED_QUERY_MISMATCH = 'PERSISTED_QUERY_MISMATCH' satisfies ErrorCode;
export const PERSISTED_QUERY_INVALID = 'PERSISTED_QUERY_INVALID' satisfies ErrorCode;

/**
 * Where registered documents are kept. Failures read as misses: never an
 * error. A look-up never waits past `deadline` (the request's, a
 * `performance.now()` instant).
 */
export interface ApqStore {
  get(hash: string, deadline?: number): Promise<string | undefined>;
  set(hash: string, document: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * In-process, bounded by entries and by the total length of the documents
 * (each is at most MAX_BODY_BYTES), least recently used first out.
 */
export class MemoryApqStore implements ApqStore {
  private readonly documents: LRUCache<string, string>;

  constructor(maxEntries: number, maxBytes: number) {
    this.documents = new LRUCache({
      max: maxEntries,
      maxSize: maxBytes,
      sizeCalculation: (document) => Math.max(1, document.length),
    });
  }

  get(hash: string): Promise<string | undefined> {
    return Promise.resolve(this.documents.get(hash));
  }

  set(hash: string, document: string): Promise<void> {
    this.documents.set(hash, document);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.documents.clear();
    return Promise.resolve();
  }
}

/**
 * Shared by every replica, over the gateway's Redis link (which it does not
 * own: the gateway closes it). Each document expires `ttlMs` after it was last
 * registered, which bounds the store over time; a hard bound in bytes is
 * Redis's own `maxmemory` with an `allkeys-lru` or `volatile-lru` policy.
 * A command Redis does not answer within the link's timeout reads as a miss.
 */
export class RedisApqStore implements ApqStore {
  constructor(
    private readonly redis: RedisLink,
    private readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly prefix = 'data-api-gateway:apq:',
  ) {}

  async get(hash: string, deadline?: number): Promise<string | undefined> {
    try {
      return (await this.redis.run((r) => r.get(this.prefix + hash), deadline)) ?? undefined;
    } catch (error) {
      // The client then sends the document again, which runs.
      this.logger.warn({ err: (error as Error).message }, 'APQ store read failed');
      return undefined;
    }
  }

  async set(hash: string, document: string): Promise<void> {
    try {
      // Not awaited by the request (see onValidate): bounded by the command timeout alone.
      await this.redis.run((r) => r.set(this.prefix + hash, document, 'PX', this.ttlMs));
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'APQ store write failed');
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

interface PersistedQuery {
  readonly version: unknown;
  readonly sha256Hash: unknown;
}

function persistedQueryOf(extensions: Record<string, unknown> | undefined) {
  const value = extensions?.persistedQuery;
  return typeof value === 'object' && value !== null ? (value as PersistedQuery) : undefined;
}

/** `deadlines`: the requests' deadlines, which bound a look-up of a hash. */
export function useAutomaticPersistedQueries(
  store: ApqStore,
  deadlines?: RequestDeadlines,
): Plugin {
  // Documents sent with their hash, to store once they validate.
  const toRegister = new WeakMap<Request, { hash: string; document: string }>();
  return {
    async onParams({ params, setParams, request }) {
      const persisted = persistedQueryOf(params.extensions);
      if (persisted === undefined) return;
      if (persisted.version !== 1) {
        throw refusal(
          PERSISTED_QUERY_INVALID,
          `Unsupported persisted query version ${String(persisted.version)}: only 1 is.`,
        );
      }
      const hash = persisted.sha256Hash;
      if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) {
        throw refusal(
          PERSISTED_QUERY_INVALID,
          'extensions.persistedQuery.sha256Hash must be the sha256 of the document, as 64 lowercase hex digits.',
        );
      }
      if (typeof params.query === 'string') {
        const actual = createHash('sha256').update(params.query).digest('hex');
        if (actual !== hash) {
          throw refusal(
            PERSISTED_QUERY_MISMATCH,
            `The document's sha256 is ${actual}, not the sha256Hash sent (${hash}).`,
          );
        }
        toRegister.set(request, { hash, document: params.query });
        return;
      }
      const document = await store.get(hash, deadlines?.of(request));
      // Apollo's clients look for this code (or the message) and resend with the text.
      if (document === undefined) {
        throw refusal(PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound');
      }
      setParams({ ...params, query: document });
    },
    onValidate({ context }) {
      const request = (context as { request?: Request }).request;
      const registration = request && toRegister.get(request);
      if (registration === undefined) return undefined;
      // Validation is synchronous; the write goes on while the operation runs
      // (a store never rejects: failures are logged).
      return ({ valid }) => {
        if (valid) void store.set(registration.hash, registration.document);
      };
    },
  };
}
