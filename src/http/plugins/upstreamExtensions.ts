import type { Plugin } from 'graphql-yoga';
import type { RateLimits } from '../../api/wire.js';
import type { GatewayContext } from '../../schema/context.js';

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

/** Adds what the API said about rate limits and its version to each executed response. */
export function useUpstreamExtensions(): Plugin<GatewayContext> {
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
