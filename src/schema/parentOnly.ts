/**
 * Resolvers that use nothing but their parent value (no arguments, context or
 * info): the fast executor (http/plugins/fastExecute.ts)
 * calls them with the parent alone, without building the per-field `info`
 * object graphql-js would, which is most of a row's cost on big pages.
 */
const marked = new WeakSet<object>();

export function parentOnly<F extends (parent: never) => unknown>(resolve: F): F {
  marked.add(resolve);
  return resolve;
}

export function isParentOnly(resolve: unknown): resolve is (parent: unknown) => unknown {
  return typeof resolve === 'function' && marked.has(resolve);
}
