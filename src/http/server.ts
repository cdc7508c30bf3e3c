import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import { execute } from 'graphql';
import { createYoga, useReadinessCheck } from 'graphql-yoga';
import { SessionTokenProvider } from '../upstream/sessionAuth.js';
import type { Config } from '../config/config.js';
import type { GatewayContext } from '../schema/context.js';
import { createContextFactory } from '../schema/context.js';
import { corsFor } from './cors.js';
import { createGraphiQLRenderer, graphiqlOptions } from './graphiql.js';
import { useGraphiQLAssets } from './graphiqlAssets.js';
import type { Logger } from '../observability/logger.js';
import { GatewayMetrics } from '../observability/metrics.js';
import { useOperationObservability } from './plugins/observability.js';
import type { ApqStore } from './plugins/apq.js';
import { MemoryApqStore, RedisApqStore, useAutomaticPersistedQueries } from './plugins/apq.js';
import { useBodyLimit } from './plugins/bodyLimit.js';
import { useCompression } from './plugins/compression.js';
import { useCredentialCheck } from './plugins/credentials.js';
import { useCsrfPrevention } from './plugins/csrf.js';
import { useErrorMapping } from './plugins/errors.js';
import type { FastPathOutcome, FastPathReason, RowsFrom } from './plugins/fastExecute.js';
import { useFastExecute } from './plugins/fastExecute.js';
import { useInputDepthLimit } from './plugins/inputDepth.js';
import { useKnownOperationTypes } from './plugins/operationTypes.js';
import { useLeavingClients } from './plugins/leavingClients.js';
import { useWorkGate } from './plugins/workGate.js';
import { clientSignal } from './clientGone.js';
import { WorkGate } from './workGate.js';
import { useHiddenServiceSdl } from './plugins/hiddenServiceSdl.js';
import { usePersistedOperationsFile } from './plugins/persistedOperations.js';
import { usePlan } from './plugins/plan.js';
import { Planner } from '../plan/operationPlan.js';
import { useQueryLimits } from './plugins/queryLimits.js';
import { useRefusals } from './plugins/refusals.js';
import { useRequestIdHeader } from './plugins/requestId.js';
import { useServedByHeader } from './plugins/servedBy.js';
import { useUpstreamExtensions } from './plugins/upstreamExtensions.js';
import { RpcClient } from '../rpc/client.js';
import { RequestDeadlines } from '../upstream/deadline.js';
import { RedisLink } from '../upstream/redis.js';
import { MemoryCache, RedisCache } from '../upstream/responseCache.js';
import { SharedCalls } from '../upstream/sharedCalls.js';
import { schema } from '../schema/index.js';
import type { DataApiClient } from '../upstream/apiSession.js';
import { UpstreamMemory } from '../upstream/apiSession.js';

export interface GatewayOptions extends Omit<Config, 'dataApiUrl' | 'port' | 'host'> {
  /** Data API endpoint, e.g. `https://dataapi.uiscom.ru/v2.0`. */
  readonly dataApiUrl: string;
  readonly logger: Logger;
  /** Replaces the JSON-RPC client (tests inject failures the emulator cannot produce). */
  readonly client?: DataApiClient;
  /**
   * `graphql-js`: run operations with graphql-js's own `execute` instead of
   * Yoga's executor; the reference the differential test compares answers with.
   */
  readonly executor?: 'production' | 'graphql-js';
  /** Tests: what became of each operation in the production executor's fast path. */
  readonly onFastPath?: (outcome: FastPathOutcome, reason: FastPathReason) => void;
  /** Tests: how each list that could be written from the reply's bytes was written. */
  readonly onRowsWritten?: (from: RowsFrom, rows: number) => void;
  /** Tests: the fewest values a list needs to be written from the reply's bytes (BYTES_MIN_VALUES). */
  readonly rowsFromBytesMinValues?: number;
}

/** Yoga's own messages, through pino. */
function yogaLogger(logger: Logger) {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      logger[level](args.map(String).join(' '));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Yoga's readiness check, consulted only on its own path: on every other
 * request it would test the URL against a URLPattern (1 % of CPU).
 */
function useReadiness(endpoint: string, check: () => boolean | Promise<boolean>): Plugin {
  const plugin = useReadinessCheck({ endpoint, check });
  return {
    ...plugin,
    onRequest: (payload) =>
      payload.url.pathname === endpoint ? plugin.onRequest?.(payload) : undefined,
  };
}

/**
 * Bytes per APQ entry the in-memory store allows on average: documents are
 * mostly a few KB, and the bound keeps entries × MAX_BODY_BYTES from ever
 * being reached (1000 entries → at most 4 MB of documents).
 */
const APQ_AVERAGE_BYTES = 4096;

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext>;

export function createGateway(options: GatewayOptions): Gateway {
  const { logger } = options;
  const metrics = new GatewayMetrics();
  const client = new RpcClient({
    onCall: metrics.onCall,
    url: options.dataApiUrl,
    timeoutMs: options.timeoutMs,
    retries: options.resilience.retries,
    retryBaseMs: options.resilience.retryBaseMs,
    maxConcurrency: options.resilience.maxConcurrency,
    breaker: options.resilience.breaker,
  });
  // One connection for the cache and the APQ store: one timeout, one state for readiness.
  // None when neither is kept (no cache TTL, and no APQ in allow-list mode).
  const redisUsed = options.cache.ttlMs > 0 || !options.persistedOperationsFile;
  const redis =
    options.cache.redisUrl && redisUsed
      ? new RedisLink(options.cache.redisUrl, logger, {
          commandTimeoutMs: options.cache.redisCommandTimeoutMs,
        })
      : undefined;
  const deadlines = new RequestDeadlines(options.resilience.deadlineMs);
  const cache =
    options.cache.ttlMs > 0
      ? redis
        ? new RedisCache(redis, logger)
        : new MemoryCache(options.cache.maxEntries, options.cache.maxBytes)
      : undefined;
  // Documents of automatic persisted queries; in allow-list mode clients cannot add any.
  const apqStore: ApqStore | undefined = options.persistedOperationsFile
    ? undefined
    : redis
      ? new RedisApqStore(redis, options.apq.ttlMs, logger)
      : new MemoryApqStore(options.apq.maxEntries, options.apq.maxEntries * APQ_AVERAGE_BYTES);
  const shared = new SharedCalls(client, cache && { store: cache, ttlMs: options.cache.ttlMs });
  const gate = new WorkGate(options.work);
  metrics.watchWork(gate);
  const memory = new UpstreamMemory((version) => {
    logger.warn(
      { apiVersion: version },
      `Data API version ${version.current_version} is deprecated; latest is ${version.latest_version}`,
    );
  }, metrics.onLimits);
  const paging = { defaultPageSize: options.defaultPageSize, maxPageSize: options.maxPageSize };
  const planner = new Planner({
    paging,
    limits: options.limits,
    defaultUserId: options.dataApiUserId,
    maxKeysPerCall: options.maxPageSize,
  });
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    context: createContextFactory({
      client: options.client ?? shared,
      session: options.dataApiLogin
        ? new SessionTokenProvider(client, {
            ...options.dataApiLogin,
            renewBeforeMs: options.sessionRenewMs,
          })
        : undefined,
      logger,
      memory,
      defaultToken: options.dataApiToken,
      defaultUserId: options.dataApiUserId,
      planner,
      deadlines,
      clientSignal: ({ request, res }) => clientSignal(request, res),
    }),
    plugins: [
      // Yoga serves /health (liveness) itself; readiness must not spend rate-limit points,
      // so it asks the breaker, not the API; and Redis, when there is one, for a PING.
      useReadiness('/readiness', () => !client.circuitOpen && (redis?.answering() ?? true)),
      metrics.plugin(),
      metrics.responsesPlugin('/graphql'),
      // A client that disconnects stops its work: calls, execution, serialisation.
      useLeavingClients(metrics),
      useCompression(options.compressionMinBytes),
      ...(options.graphiql ? [useGraphiQLAssets('/graphql', { logger })] : []),
      useBodyLimit(options.limits.maxBodyBytes),
      useRequestIdHeader(),
      ...(options.instanceId ? [useServedByHeader(options.instanceId)] : []),
      // Refuses GET and multipart requests that a browser could send cross-site unasked.
      useCsrfPrevention(),
      // Credentials the gateway cannot use are refused, never replaced by its own.
      useCredentialCheck(),
      useRefusals('/graphql'),
      // Before the limits, so they see the registered document that replaces the hash.
      ...(options.persistedOperationsFile
        ? [usePersistedOperationsFile(options.persistedOperationsFile, logger)]
        : []),
      ...(apqStore ? [useAutomaticPersistedQueries(apqStore, deadlines)] : []),
      useInputDepthLimit(options.limits.maxFilterDepth),
      useKnownOperationTypes(),
      useQueryLimits(options.limits),
      ...(options.introspection ? [] : [useDisableIntrospection()]),
      ...(options.federationSdl ? [] : [useHiddenServiceSdl()]),
      usePlan(
        planner,
        {
          maxCalls: options.limits.maxApiCalls,
          maxCost: options.limits.maxCost,
          maxListInput: options.limits.maxListInput,
        },
        (plan) => {
          metrics.onPlanned(plan.calls.length, plan.cost);
        },
      ),
      // After the limits: only operations that will run take a place.
      useWorkGate({
        gate,
        // The plan's rows (plugins/plan.ts set it just before); an operation it did not plan calls nothing.
        weigh: (args) => (args.contextValue as GatewayContext).plan?.rows ?? 0,
        onShed: metrics.onShed,
      }),
      useErrorMapping(logger, !options.production),
      useUpstreamExtensions(),
      useOperationObservability(logger),
      {
        onDispose: async () => {
          await Promise.all([cache?.close(), apqStore?.close()]);
          redis?.close();
        },
      },
      ...(options.executor === 'graphql-js'
        ? [
            // The reference runs graphql-js alone: no fast path in front of it.
            {
              onExecute: ({ setExecuteFn }) => {
                setExecuteFn(execute);
              },
            } satisfies Plugin,
          ]
        : [
            useFastExecute(
              {
                outcome: (outcome, reason) => {
                  metrics.onFastPath(outcome, reason);
                  options.onFastPath?.(outcome, reason);
                },
                rows: (from, rows) => {
                  metrics.onRowsWritten(from, rows);
                  options.onRowsWritten?.(from, rows);
                },
                fault: (error, context) => {
                  logger.error(
                    { err: error, requestId: (context as GatewayContext).requestId },
                    'fast executor fault; the standard executor answers instead',
                  );
                },
              },
              options.rowsFromBytesMinValues,
            ),
          ]),
    ] as Plugin<GatewayContext>[],
    // Errors outside execution (parsing, validation) are GraphQL errors already;
    // execution errors are mapped by useErrorMapping, which has the request id.
    maskedErrors: { isDev: !options.production },
    // useBodyLimit refuses oversized and length-less bodies up front, and Node's
    // parser reads no more than Content-Length; Yoga's own limit would also pipe
    // every body through a TransformStream (10 % of CPU on small queries).
    maxRequestBodySize: false,
    cors: corsFor(options.corsOrigins),
    // Served with its assets from the gateway: no CDN needed (see graphiql.ts).
    graphiql: options.graphiql ? graphiqlOptions : false,
    renderGraphiQL: createGraphiQLRenderer(),
    logging: yogaLogger(logger),
  });
}
