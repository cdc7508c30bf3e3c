import { GraphQLError } from 'graphql';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import { createGraphQLError, createYoga, maskError } from 'graphql-yoga';
import type { RateLimits } from './api/wire.js';
import type { GatewayContext } from './context.js';
import { createContextFactory } from './context.js';
import { GatewayError } from './errors.js';
import type { Logger } from './logger.js';
import { RpcClient } from './rpc/client.js';
import { schema } from './schema/index.js';
import { UpstreamMemory } from './upstream.js';

export interface GatewayOptions {
  /** Data API endpoint, e.g. `https://dataapi.uiscom.ru/v2.0`. */
  readonly dataApiUrl: string;
  /** Used when a request has no `Authorization: Bearer` header. */
  readonly dataApiToken: string | undefined;
  readonly dataApiUserId: number | undefined;
  readonly timeoutMs: number;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  /** Production masks unexpected errors without detail. */
  readonly production: boolean;
  readonly logger: Logger;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GatewayContext>;

const DEFAULT_QUERY = /* GraphQL */ `
  # Available numbers in Moscow, cheapest first.
  query AvailableNumbers($first: Int = 10) {
    availableNumbers(
      first: $first
      filter: { locationMnemonic: { eq: "msk" } }
      orderBy: [{ field: MIN_CHARGE, direction: ASC }]
    ) {
      totalCount
      nodes {
        id
        phoneNumber
        category
        locationName
        minCharge
        monthlyCharge
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

function rateLimitExtension(limits: RateLimits) {
  return {
    dayLimit: limits.day_limit,
    dayRemaining: limits.day_remaining,
    dayReset: limits.day_reset,
    minuteLimit: limits.minute_limit,
    minuteRemaining: limits.minute_remaining,
    minuteReset: limits.minute_reset,
  };
}

/** Adds what the API said about limits and versions to each executed response. */
function useUpstreamExtensions(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const rateLimit = ctx.api.rateLimit;
          const version = ctx.api.apiVersion;
          const extensions: Record<string, unknown> = { ...result.extensions };
          if (rateLimit) extensions.rateLimit = rateLimitExtension(rateLimit);
          if (version?.current_version_deprecated) {
            extensions.apiDeprecation = {
              currentVersion: version.current_version,
              latestVersion: version.latest_version,
            };
          }
          if (Object.keys(extensions).length > 0) setResult({ ...result, extensions });
        },
      };
    },
  };
}

/** Typed gateway errors keep their code and details; anything else is masked (and logged). */
function mapError(logger: Logger) {
  return (error: unknown, message: string, isDev?: boolean): Error => {
    const located = error instanceof GraphQLError ? error : undefined;
    const original = located ? located.originalError : error;
    if (original instanceof GatewayError) {
      return createGraphQLError(original.message, {
        nodes: located?.nodes ?? null,
        source: located?.source ?? null,
        positions: located?.positions ?? null,
        path: located?.path ?? null,
        extensions: original.extensions(),
      });
    }
    if (original && !(original instanceof GraphQLError)) {
      logger.error({ err: original }, 'unexpected error');
    }
    return maskError(error, message, isDev);
  };
}

/** Builds the gateway; listening is the caller's business (index.ts, or tests). */
export function createGateway(options: GatewayOptions): Gateway {
  const { logger } = options;
  const client = new RpcClient({
    url: options.dataApiUrl,
    timeoutMs: options.timeoutMs,
    onCall: (event) => {
      logger.debug({ dataApiCall: event }, 'data api call');
    },
  });
  const memory = new UpstreamMemory((version) => {
    logger.warn(
      { apiVersion: version },
      `Data API version ${version.current_version} is deprecated; latest is ${version.latest_version}`,
    );
  });
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    context: createContextFactory({
      client,
      memory,
      defaultToken: options.dataApiToken,
      defaultUserId: options.dataApiUserId,
      paging: { defaultPageSize: options.defaultPageSize, maxPageSize: options.maxPageSize },
    }),
    plugins: [useUpstreamExtensions()],
    maskedErrors: { maskError: mapError(logger), isDev: !options.production },
    graphiql: { title: 'Data API gateway', defaultQuery: DEFAULT_QUERY },
    logging: {
      debug: (...args) => {
        logger.debug(args.map(String).join(' '));
      },
      info: (...args) => {
        logger.info(args.map(String).join(' '));
      },
      warn: (...args) => {
        logger.warn(args.map(String).join(' '));
      },
      error: (...args) => {
        logger.error(args.map(String).join(' '));
      },
    },
  });
}
