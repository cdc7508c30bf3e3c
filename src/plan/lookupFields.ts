/**
 * The plans of the look-up fields: `node(id:)`, `nodes(ids:)` and the
 * federation's `_entities(representations:)`. Each id or representation is
 * read on its own (one that names nothing costs no call; a malformed
 * representation is an error at its own index), and every look-up of one
 * type and customer in the operation shares the same calls (callBook.ts).
 */
import type { GraphQLResolveInfo } from 'graphql';
import { graphqlFieldName } from '../api/types.js';
import type { MethodDescription } from '../api/types.js';
import { BadUserInputError } from '../api/errors.js';
import { nodeColumns } from '../translate/fields.js';
import { methodOfType, parseKey, parseNodeId } from '../translate/nodeId.js';
import type { CallBook, CallHandle } from './callBook.js';

/** One id's look-up: the row of `key` will be in `call`'s reply, if the API has it. */
export interface Lookup {
  readonly method: MethodDescription;
  readonly key: string | number;
  readonly call: CallHandle;
}

export interface LookupFieldPlan {
  readonly kind: 'lookup';
  /** Per id or representation, in order: its look-up, null (names nothing), or its error. */
  readonly items: readonly (Lookup | null | BadUserInputError)[];
}

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

/** Books the look-up of each ref, asking for the columns the field selects on its type. */
function lookups(
  refs: readonly (EntityRef | null | BadUserInputError)[],
  userId: number | undefined,
  info: GraphQLResolveInfo,
  book: CallBook,
): LookupFieldPlan {
  return {
    kind: 'lookup',
    items: refs.map((ref) =>
      ref === null || ref instanceof BadUserInputError
        ? ref
        : { ...ref, call: book.lookup(ref.method, userId, ref.key, nodeColumns(ref.method, info)) },
    ),
  };
}

/** `node(id:)` and `nodes(ids:)`: ids that name nothing of ours are null, at no cost. */
export function planNodeField(
  ids: readonly string[],
  userId: number | undefined,
  info: GraphQLResolveInfo,
  book: CallBook,
): LookupFieldPlan {
  return lookups(
    ids.map((id) => parseNodeId(id)),
    userId,
    info,
    book,
  );
}

/** `_entities(representations:)`, each representation read on its own. */
export function planEntitiesField(
  representations: readonly unknown[],
  maxStringInput: number,
  userId: number | undefined,
  info: GraphQLResolveInfo,
  book: CallBook,
): LookupFieldPlan {
  return lookups(
    representations.map((r) => parseRepresentation(r, maxStringInput)),
    userId,
    info,
    book,
  );
}
