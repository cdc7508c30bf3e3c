import type { Plugin } from 'graphql-yoga';
import { refusal } from '../refuse.js';
import { literalDepth, valueDepth } from '../../translate/inputDepth.js';

/**
 * The deepest input a valid request needs: a filter nested MAX_FILTER_DEPTH
 * times through `and`/`or` (a list and an object per level), its operator
 * object and an `in` list — plus one level more, so that a filter one level
 * too deep still gets the resolver's precise refusal.
 */
export function maxInputDepth(maxFilterDepth: number): number {
  return 2 * (maxFilterDepth + 1) + 3;
}

/**
 * Refuses, before parsing and variable coercion (both recursive in graphql-js),
 * a request whose variables or argument literals nest objects and lists deeper
 * than any valid request needs. Both checks are iterative.
 */
export function useInputDepthLimit(maxFilterDepth: number): Plugin {
  const limit = maxInputDepth(maxFilterDepth);
  const refuse = (what: string) =>
    refusal(
      'BAD_USER_INPUT',
      `${what} nests objects and lists more than ${limit} levels deep; filters nest "and"/"or" at most ${maxFilterDepth} levels (MAX_FILTER_DEPTH).`,
    );
  return {
    onParams({ params, setResult }) {
      const variables: unknown = params.variables;
      if (variables !== null && typeof variables === 'object') {
        for (const [name, value] of Object.entries(variables)) {
          if (valueDepth(value, limit) < 0) {
            setResult({ errors: [refuse(`Variable "$${name}"`)] });
            return;
          }
        }
      }
      if (typeof params.query === 'string' && literalDepth(params.query, limit) < 0) {
        setResult({ errors: [refuse('An argument')] });
      }
    },
  };
}
