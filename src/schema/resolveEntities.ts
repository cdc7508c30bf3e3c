/**
 * Federation entity references (`_entities(representations:)`), checked one
 * by one: a representation that names no entity of ours, lacks its key or has
 * a malformed or over-long key is a BAD_USER_INPUT error at its own index
 * (null there), never a failure of the whole list, and costs no call. The
 * number of representations is bounded before execution (plugins/entityLimits.ts).
 */
import type { GraphQLResolveInfo } from 'graphql';
import { graphqlFieldName } from '../api/types.js';
import type { MethodDescription } from '../api/types.js';
import type { Row } from '../api/wire.js';
import type { GatewayContext } from './context.js';
import { BadUserInputError } from '../api/errors.js';
import { nodeColumns } from '../translate/fields.js';
import { methodOfType, parseKey } from '../translate/nodeId.js';

const ARGUMENT = 'representations';

/** Longest type name quoted back in an error: the rest of a huge one is noise. */
const QUOTED_NAME_MAX = 64;

/** The GraphQL field backing the method's key column: `databaseId`, `phoneNumber`. */
export function entityKeyField(method: MethodDescription): string {
  const spec = method.columns[method.key];
  if (!spec) throw new Error(`${method.method}: key column ${method.key} is not described`);
  return graphqlFieldName(method.key, spec);
}

export interface EntityRef {
  readonly method: MethodDescription;
  readonly key: string | number;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entity type a representation names, when it names one of ours. */
export function entityMethod(representation: unknown): MethodDescription | undefined {
  if (!isRecord(representation)) return undefined;
  const typename = representation.__typename;
  return typeof typename === 'string' ? methodOfType(typename) : undefined;
}

/**
 * The method and key value a representation names, or the error that says why
 * it names none; `maxStringInput` bounds string keys as it bounds filter strings.
 */
export function parseRepresentation(
  representation: unknown,
  maxStringInput: number,
): EntityRef | BadUserInputError {
  if (!isRecord(representation) || typeof representation.__typename !== 'string') {
    return new BadUserInputError(
      'A representation must be an object with a "__typename" string.',
      ARGUMENT,
    );
  }
  const typename = representation.__typename;
  const method = methodOfType(typename);
  if (!method) {
    const quoted = typename.length <= QUOTED_NAME_MAX ? `"${typename}"` : 'The __typename';
    return new BadUserInputError(`${quoted} is not an entity type of this subgraph.`, ARGUMENT);
  }
  const field = entityKeyField(method);
  const raw = representation[field];
  if (raw === undefined || raw === null) {
    return new BadUserInputError(
      `A ${method.typeName} representation needs its key "${field}".`,
      ARGUMENT,
    );
  }
  if (typeof raw === 'string' && raw.length > maxStringInput) {
    return new BadUserInputError(
      `The ${method.typeName} key "${field}" is ${raw.length} characters long; the limit is ${maxStringInput} (MAX_STRING_INPUT).`,
      ARGUMENT,
    );
  }
  const key = parseKey(method, raw);
  if (key === null) {
    const expected =
      method.columns[method.key]?.type === 'int' ? 'an integer (or its decimal text)' : 'a string';
    return new BadUserInputError(
      `The ${method.typeName} key "${field}" must be ${expected}.`,
      ARGUMENT,
    );
  }
  return { method, key };
}

/** The abstract `_Entity` type is resolved by `__typename`, as @apollo/subgraph does it. */
function typed(row: Row | null, typeName: string): Row | null {
  if (row) Object.defineProperty(row, '__typename', { value: typeName });
  return row;
}

/**
 * Resolves `_entities`: in order, a row, null (no such row) or an error, per
 * representation. References of one type share one call through the request's
 * node loader, asking for the columns the selection needs on that type.
 */
export function resolveEntities(
  representations: readonly unknown[],
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): (Promise<Row | null> | BadUserInputError)[] {
  // One selection per type for the whole list, not one per representation.
  const columns = new Map<MethodDescription, readonly string[]>();
  return representations.map((representation) => {
    const ref = parseRepresentation(representation, ctx.limits.maxStringInput);
    if (ref instanceof BadUserInputError) return ref;
    let selected = columns.get(ref.method);
    if (!selected) {
      selected = nodeColumns(ref.method, info);
      columns.set(ref.method, selected);
    }
    return ctx
      .nodes(ref.method)
      .load({ key: ref.key, columns: selected })
      .then((row) => typed(row, ref.method.typeName));
  });
}
