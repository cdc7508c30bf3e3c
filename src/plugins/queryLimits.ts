import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { InputLimits } from '../config.js';

/**
 * Static limits on the document (depth, aliases, directives, tokens),
 * checked before execution; each refusal names the limit it hit.
 */
export function useQueryLimits(limits: InputLimits) {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    maxTokens: { n: limits.maxTokens },
    // Cost is counted on the call plan, with variables known (callBudget.ts).
    costLimit: { enabled: false },
    // Suggestions would let a caller map a schema whose introspection is off.
    blockFieldSuggestion: { enabled: true },
  });
}
