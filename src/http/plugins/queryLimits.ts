import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import { refusal } from '../refuse.js';
import type { InputLimits } from '../../config/config.js';

/** What graphql-armor reports: `Syntax Error: Query depth limit of 10 exceeded, found 12.` */
const ARMOR_MESSAGE = /^(?:Syntax Error: )?(.*?), found (\d+(?:\.\d+)?)\.?$/;

/**
 * graphql-armor throws its refusals as "Syntax Error"s without a code, which
 * Yoga answers with HTTP 200 whatever the client accepts. Reported to the
 * validation context instead, each is a validation error (HTTP 400 under
 * application/graphql-response+json) with code QUERY_TOO_COMPLEX, the setting
 * that holds the limit, the limit and what the query reached.
 */
export function refusedAs(setting: string, limit: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError): void => {
        const match = ARMOR_MESSAGE.exec(error.message);
        const what = match?.[1] ?? error.message.replace(/^Syntax Error: /, '');
        const found = match?.[2] === undefined ? undefined : Number(match[2]);
        const refused = refusal(
          'QUERY_TOO_COMPLEX',
          found === undefined ? `${what} (${setting}).` : `${what}: found ${found} (${setting}).`,
          { setting, limit, ...(found === undefined ? {} : { found }) },
        );
        if (!context) throw refused;
        context.reportError(refused);
      },
    ],
  };
}

/**
 * Static limits on the document (depth, aliases, directives, tokens),
 * checked before execution; each refusal names the limit it hit.
 */
export function useQueryLimits(limits: InputLimits) {
  return EnvelopArmorPlugin({
    maxDepth: {
      n: limits.maxDepth,
      ignoreIntrospection: true,
      ...refusedAs('QUERY_MAX_DEPTH', limits.maxDepth),
    },
    maxAliases: { n: limits.maxAliases, ...refusedAs('QUERY_MAX_ALIASES', limits.maxAliases) },
    maxDirectives: {
      n: limits.maxDirectives,
      ...refusedAs('QUERY_MAX_DIRECTIVES', limits.maxDirectives),
    },
    // Counted while parsing: its refusal is a GRAPHQL_PARSE_FAILED, which it is.
    maxTokens: { n: limits.maxTokens },
    // Cost is counted on the call plan, with variables known (plugins/plan.ts).
    costLimit: { enabled: false },
    // Suggestions would let a caller map a schema whose introspection is off.
    blockFieldSuggestion: { enabled: true },
  });
}
