import { buildSchema, execute, parse } from 'graphql';
import type { DocumentNode, GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { MethodDescription } from '../../../src/api/types.js';
import type { ConnectionSelection } from '../../../src/translate/fields.js';
import { connectionSelection, nodeColumns } from '../../../src/translate/fields.js';

/**
 * The selection functions over a small hand-written schema, so the per-field-node
 * cache can be watched: a document is parsed once and executed several times
 * (as Yoga does with its parse cache), and each execution records what the
 * functions return for it.
 */
const people = {
  method: 'get.people',
  typeName: 'Person',
  listField: 'people',
  description: 'test method',
  key: 'id',
  columns: {
    id: { type: 'int', description: '' },
    full_name: { type: 'string', description: '' },
    age: { type: 'int', description: '', graphqlName: 'years' },
  },
} as const satisfies MethodDescription;

// Keyed by name: its `id` column is served as `databaseId`, `id` being the relay id.
const staff = {
  ...people,
  method: 'get.staff',
  key: 'full_name',
  columns: { ...people.columns, id: { type: 'int', description: '', graphqlName: 'databaseId' } },
} as const;

const schema = buildSchema(`
  interface Node { id: ID! }
  interface HasPeople { people: PersonConnection }
  type Person implements Node { id: ID! databaseId: Int fullName: String years: Int }
  type PersonEdge { node: Person cursor: String }
  type PageInfo { startCursor: String endCursor: String hasNextPage: Boolean hasPreviousPage: Boolean }
  type PersonConnection { edges: [PersonEdge] nodes: [Person] pageInfo: PageInfo totalCount: Int }
  type Team implements HasPeople { people: PersonConnection }
  type Query implements HasPeople {
    people: PersonConnection
    team: Team
    node: Node
  }
`);

type Seen = (ConnectionSelection | readonly string[])[];

/** A connection selection; the connection's own fields (totalCount, pageInfo flags) unselected unless given. */
function selected(
  columns: readonly string[],
  needsRows: boolean,
  fields: Partial<Pick<ConnectionSelection, 'totalCount' | 'hasNextPage' | 'hasPreviousPage'>> = {},
): ConnectionSelection {
  return {
    columns,
    needsRows,
    totalCount: false,
    hasNextPage: false,
    hasPreviousPage: false,
    ...fields,
  };
}

/** Executes a parsed document, returning what each resolver saw, in order. */
function executeOnce(
  document: DocumentNode,
  variableValues: Record<string, unknown> = {},
  operationName?: string,
): Seen {
  const seen: Seen = [];
  const connection =
    (method: MethodDescription) =>
    (_parent: unknown, _args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      seen.push(connectionSelection(method, info));
      return null;
    };
  const resolvers: Record<string, Record<string, unknown>> = {
    Query: {
      people: connection(people),
      team: () => ({}),
      node: (_p: unknown, _a: unknown, _c: unknown, info: GraphQLResolveInfo) => {
        seen.push(nodeColumns(people, info));
        return null;
      },
    },
    Team: { people: connection(staff) },
  };
  const result = execute({
    schema,
    document,
    variableValues,
    operationName: operationName ?? null,
    fieldResolver: (parent, args, context, info) => {
      const resolve = resolvers[info.parentType.name]?.[info.fieldName];
      return typeof resolve === 'function'
        ? (resolve as (...a: unknown[]) => unknown)(parent, args, context, info)
        : null;
    },
  });
  if ('then' in result) throw new Error('expected a synchronous result');
  expect(result.errors).toBeUndefined();
  return seen;
}

describe('connectionSelection', () => {
  it('follows edges.node, nodes, aliases and fragments on the type and on Node', () => {
    const document = parse(`{
      people {
        edges { node { ...P } }
        nodes { ... on Node { id } y: years }
      }
    }
    fragment P on Person { fullName }`);
    expect(executeOnce(document)).toEqual([selected(['full_name', 'age', 'id'], true)]);
  });

  it('needs rows for edges { cursor } alone, asking for the key column', () => {
    expect(executeOnce(parse('{ people { edges { cursor } } }'))).toEqual([selected(['id'], true)]);
  });

  it('needs no rows when only totalCount is selected', () => {
    expect(executeOnce(parse('{ people { totalCount } }'))).toEqual([
      selected(['id'], false, { totalCount: true }),
    ]);
  });

  it('needs rows for a cursor in pageInfo, not for its flags', () => {
    expect(executeOnce(parse('{ people { pageInfo { startCursor } } }'))).toEqual([
      selected(['id'], true),
    ]);
    expect(executeOnce(parse('{ people { pageInfo { endCursor } } }'))).toEqual([
      selected(['id'], true),
    ]);
    expect(executeOnce(parse('{ people { pageInfo { hasNextPage } totalCount } }'))).toEqual([
      selected(['id'], false, { hasNextPage: true, totalCount: true }),
    ]);
  });

  it('tells which of totalCount and the pageInfo flags are selected, through aliases and fragments', () => {
    expect(
      executeOnce(
        parse(`{ people { n: totalCount pageInfo { ...F } } }
        fragment F on PageInfo { p: hasPreviousPage }`),
      ),
    ).toEqual([selected(['id'], false, { totalCount: true, hasPreviousPage: true })]);
    expect(
      executeOnce(parse('query ($t: Boolean!) { people { totalCount @include(if: $t) } }'), {
        t: false,
      }),
    ).toEqual([selected(['id'], false)]);
  });

  it('asks for the key column for id when the key is not named id', () => {
    expect(executeOnce(parse('{ team { people { nodes { id years } } } }'))).toEqual([
      selected(['full_name', 'age'], true),
    ]);
  });

  it('asks for nothing for a field that is no column', () => {
    expect(executeOnce(parse('{ people { nodes { databaseId fullName } } }'))).toEqual([
      selected(['full_name'], true),
    ]);
  });

  it('asks for the key column alone, and no rows, from a resolve info without field nodes', () => {
    // graphql-js always passes one field node at least; the fallback must still be a selection.
    const seen: unknown[] = [];
    const result = execute({
      schema,
      document: parse('{ people { nodes { fullName } } node { id } }'),
      fieldResolver: (_parent, _args, _context, info) => {
        if (info.fieldName === 'people')
          seen.push(connectionSelection(people, { ...info, fieldNodes: [] }));
        if (info.fieldName === 'node') seen.push(nodeColumns(people, { ...info, fieldNodes: [] }));
        return null;
      },
    });
    expect('then' in result ? undefined : result.errors).toBeUndefined();
    expect(seen).toEqual([selected(['id'], false), ['id']]);
  });

  it('returns a frozen selection', () => {
    const [selection] = executeOnce(parse('{ people { nodes { fullName } } }'));
    expect(Object.isFrozen(selection)).toBe(true);
    expect(Object.isFrozen((selection as ConnectionSelection).columns)).toBe(true);
  });
});

describe('nodeColumns', () => {
  it('asks for the columns selected on the type, then on Node (id as the key column)', () => {
    const document = parse('{ node { id ... on Person { years } } }');
    expect(executeOnce(document)).toEqual([['age', 'id']]);
  });

  it('asks for the key column when only __typename is selected', () => {
    expect(executeOnce(parse('{ node { __typename } }'))).toEqual([['id']]);
  });

  it('is worked out once per field node', () => {
    const document = parse('{ node { ... on Person { fullName } } }');
    const [first] = executeOnce(document);
    const [second] = executeOnce(document);
    expect(first).toEqual(['full_name']);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe('the per-field-node cache', () => {
  it('hands back the same selection when a parsed document runs again', () => {
    const document = parse('{ people { nodes { fullName } } }');
    const [first] = executeOnce(document);
    const [second] = executeOnce(document);
    expect(second).toBe(first);
  });

  it('does not share selections between documents with the same text', () => {
    const text = '{ people { nodes { fullName } } }';
    const [first] = executeOnce(parse(text));
    const [second] = executeOnce(parse(text));
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });

  it('keeps one entry per variable values when the operation declares variables', () => {
    const document = parse(
      'query ($all: Boolean!) { people { nodes { fullName years @include(if: $all) } } }',
    );
    const all = selected(['full_name', 'age'], true);
    const some = selected(['full_name'], true);
    const [withAll] = executeOnce(document, { all: true });
    expect(withAll).toEqual(all);
    expect(executeOnce(document, { all: false })).toEqual([some]);
    expect(executeOnce(document, { all: true })[0]).toBe(withAll);
  });

  it('keys entries by the variables given to directives only, in fragments too', () => {
    // $n changes no selection: one entry for every value of it.
    const document = parse(`
      query ($n: Int, $all: Boolean!, $more: Boolean! = false) {
        people { nodes { fullName ...Extra } }
        team { people { totalCount @skip(if: $more) } }
      }
      fragment Extra on Person { years @include(if: $all) }`);
    const [first, counted] = executeOnce(document, { n: 1, all: true });
    expect(first).toEqual(selected(['full_name', 'age'], true));
    expect(counted).toEqual(selected(['full_name'], false, { totalCount: true }));
    const [again, againCounted] = executeOnce(document, { n: 2, all: true });
    expect(again).toBe(first);
    expect(againCounted).toBe(counted);
    const [fewer, skipped] = executeOnce(document, { n: 2, all: false, more: true });
    expect(fewer).toEqual(selected(['full_name'], true));
    expect(skipped).toEqual(selected(['full_name'], false));
    // A directive variable left out reads as absent, not as another one's value.
    expect(executeOnce(document, { n: 3, all: true, more: false })[0]).toBe(first);
  });

  it('keeps one entry per parent type and method for the same field node', () => {
    // Fragment P's one `people` node resolves on Query (people, keyed by id)
    // and on Team (staff, keyed by full_name).
    const document = parse(`
      { ...P team { ...P } }
      fragment P on HasPeople { people { edges { cursor } } }`);
    const expected = [selected(['id'], true), selected(['full_name'], true)];
    expect(executeOnce(document)).toEqual(expected);
    expect(executeOnce(document)).toEqual(expected);
  });

  it('does not keep selections of a field selected twice (merged field nodes)', () => {
    // Operation B merges fragment F's `people` node with one of its own; a
    // selection kept for F's node under A must not answer for B, nor B's for A.
    const document = parse(`
      query A { ...F }
      query B { ...F people { nodes { years } } }
      fragment F on Query { people { nodes { fullName } } }`);
    const a = selected(['full_name'], true);
    const b = selected(['full_name', 'age'], true);
    expect(executeOnce(document, {}, 'A')).toEqual([a]);
    expect(executeOnce(document, {}, 'B')).toEqual([b]);
    expect(executeOnce(document, {}, 'A')).toEqual([a]);
    const [first] = executeOnce(document, {}, 'B');
    expect(executeOnce(document, {}, 'B')[0]).not.toBe(first);
  });
});
