import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type {
  GraphQLCompositeType,
  GraphQLInputType,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import {
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  typeFromAST,
} from 'graphql';
import ts from 'typescript';

/**
 * Every GraphQL operation written in the project's TypeScript sources under
 * `dirs` (tests, bench, examples): each string literal or template without
 * substitutions that parses as an executable document. Templates with
 * substitutions are built at run time and cannot be read statically; the
 * generated corpus covers their shapes.
 */
export function writtenOperations(root: string, dirs: readonly string[]): string[] {
  const found = new Set<string>();
  const files = dirs.flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts') && !name.includes('node_modules'))
      .map((name) => join(root, dir, name)),
  );
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (isExecutableDocument(node.text)) found.add(node.text);
      }
      node.forEachChild(visit);
    };
    visit(source);
  }
  return [...found];
}

function isExecutableDocument(text: string): boolean {
  if (!/[{}]/.test(text)) return false;
  try {
    const document = parse(text);
    return document.definitions.every(
      (d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION,
    );
  } catch {
    return false;
  }
}

/** Values the generators draw from: ids and cursors that exist, and some that do not. */
export interface ValuePools {
  readonly ids: readonly string[];
  readonly cursors: readonly string[];
  readonly strings: readonly string[];
}

/** An arbitrary value of an input type, nulls and wrong-but-well-typed values included. */
export function inputValue(
  type: GraphQLInputType,
  pools: ValuePools,
  depth = 2,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return inputValue(type.ofType, pools, depth);
  const nullable = (value: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) });
  if (isListType(type)) {
    return nullable(fc.array(inputValue(type.ofType, pools, depth), { maxLength: 3 }));
  }
  if (isEnumType(type)) return nullable(fc.constantFrom(...type.getValues().map((v) => v.name)));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter(
      (field) => depth > 0 || !isInputObjectType(getNamedType(field.type)),
    );
    return nullable(
      fc.record(
        Object.fromEntries(
          fields.map((field) => [field.name, inputValue(field.type, pools, depth - 1)]),
        ),
        { requiredKeys: [] },
      ),
    );
  }
  switch (type.name) {
    case 'Int':
      return nullable(fc.integer({ min: -2, max: 30 }));
    case 'Float':
      return nullable(fc.double({ min: -5, max: 1000, noNaN: true }));
    case 'Boolean':
      return nullable(fc.boolean());
    case 'ID':
      return nullable(fc.constantFrom(...pools.ids));
    default:
      return nullable(fc.constantFrom(...pools.strings, ...pools.cursors));
  }
}

/** Arbitrary variables for every variable the document's first operation declares. */
export function variablesFor(
  schema: GraphQLSchema,
  document: string,
  pools: ValuePools,
): fc.Arbitrary<Record<string, unknown>> {
  const operation = parse(document).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const entries = (operation?.variableDefinitions ?? []).flatMap((definition) => {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    return type ? [[definition.variable.name.value, inputValue(type, pools)] as const] : [];
  });
  return fc.record(Object.fromEntries(entries), { requiredKeys: [] });
}

/** A selection before printing; fragments are named when the document is printed. */
type Selection =
  | {
      readonly kind: 'field';
      readonly name: string;
      readonly alias: string | null;
      readonly args: string;
      readonly directive: string;
      readonly selections: readonly Selection[];
    }
  | {
      readonly kind: 'inline' | 'spread';
      readonly on: string | null;
      readonly directive: string;
      readonly selections: readonly Selection[];
    };

/** Directives on a field or fragment; `$yes`/`$no` are declared when used. */
const directive = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '@include(if: true)',
      '@include(if: false)',
      '@skip(if: true)',
      '@skip(if: false)',
      '@include(if: $yes)',
      '@skip(if: $yes)',
      '@include(if: $no)',
    ),
  },
);
/** Mostly no alias or one of the field's own; sometimes a name that may clash (invalid). */
const aliasOf = (name: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(null) },
    { weight: 3, arbitrary: fc.constantFrom(`${name}A`, `${name}B`) },
    { weight: 1, arbitrary: fc.constantFrom('a', 'price') },
  );

/** Literal arguments of the list fields: good pages, empty ones, bad sizes and cursors. */
function listArgs(pools: ValuePools, orderFields: readonly string[]): fc.Arbitrary<string> {
  const first = fc.constantFrom(
    '',
    'first: 0',
    'first: 1',
    'first: 3',
    'first: $n',
    'first: -1',
    'first: 1001',
  );
  const last = fc.constantFrom('', '', 'last: 2');
  const after = fc.constantFrom('', '', ...pools.cursors.map((c) => `after: ${JSON.stringify(c)}`));
  const order = fc.constantFrom(
    '',
    ...orderFields.map((f) => `orderBy: [{ field: ${f}, direction: DESC }]`),
  );
  return fc.tuple(first, last, after, order).map((parts) => {
    const text = parts.filter(Boolean).join(', ');
    return text ? `(${text})` : '';
  });
}

/**
 * Arbitrary query documents over `schema`'s list and node fields: nested
 * selections with aliases, inline fragments (with and without type
 * conditions), named fragments, `@include`/`@skip` with literals and
 * variables, and arguments that fail (bad sizes and cursors) or find nothing
 * (unknown ids). Some documents do not validate (aliases that clash); those
 * are compared too.
 */
export function generatedOperation(
  schema: GraphQLSchema,
  pools: ValuePools,
): fc.Arbitrary<{ query: string; variables: Record<string, unknown> }> {
  const query = schema.getQueryType();
  if (!query) throw new Error('the schema has no Query type');
  const orderEnum = (name: string) => {
    const type = schema.getType(name);
    return isEnumType(type) ? type.getValues().map((v) => v.name) : [];
  };
  const rootArgs: Record<string, fc.Arbitrary<string>> = {
    availableNumbers: listArgs(pools, orderEnum('AvailableNumberOrderField')),
    virtualNumberGroups: listArgs(pools, orderEnum('VirtualNumberGroupOrderField')),
    node: fc.constantFrom(...pools.ids).map((id) => `(id: ${JSON.stringify(id)})`),
    nodes: fc
      .array(fc.constantFrom(...pools.ids), { minLength: 1, maxLength: 3 })
      .map((ids) => `(ids: ${JSON.stringify(ids)})`),
  };

  const selections = (type: GraphQLCompositeType, depth: number): fc.Arbitrary<Selection[]> => {
    const fields =
      isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : [];
    const choices: fc.Arbitrary<Selection>[] = [
      fc.record({
        kind: fc.constant('field' as const),
        name: fc.constant('__typename'),
        alias: aliasOf('__typename'),
        args: fc.constant(''),
        directive,
        selections: fc.constant([]),
      }),
    ];
    for (const field of fields) {
      const named = getNamedType(field.type);
      if (isCompositeType(named) && depth <= 0) continue;
      choices.push(
        fc.record({
          kind: fc.constant('field' as const),
          name: fc.constant(field.name),
          alias: aliasOf(field.name),
          args: fc.constant(''),
          directive,
          selections: isCompositeType(named) ? selections(named, depth - 1) : fc.constant([]),
        }),
      );
    }
    if (depth > 0) {
      // Type conditions that can apply here: the type itself, its interfaces, its possible types.
      const conditions = [
        type.name,
        ...(isObjectType(type) ? type.getInterfaces().map((i) => i.name) : []),
        ...(isAbstractType(type) ? schema.getPossibleTypes(type).map((t) => t.name) : []),
      ];
      const fragment = (kind: 'inline' | 'spread') =>
        fc.constantFrom(...(kind === 'inline' ? [null, ...conditions] : conditions)).chain((on) =>
          fc.record({
            kind: fc.constant(kind),
            on: fc.constant(on),
            directive,
            selections: selections(
              on === null ? type : (schema.getType(on) as GraphQLCompositeType),
              depth - 1,
            ),
          }),
        );
      choices.push(fragment('inline'), fragment('spread'));
    }
    return fc.array(fc.oneof(...choices), { minLength: 1, maxLength: 3 });
  };

  const root = fc.array(
    fc.constantFrom(...Object.keys(rootArgs)).chain((name) => {
      const field = query.getFields()[name];
      const args = rootArgs[name];
      if (!field || !args) throw new Error(`Query.${name} is not in the schema`);
      return fc.record({
        kind: fc.constant('field' as const),
        name: fc.constant(name),
        alias: aliasOf(name),
        args,
        directive,
        selections: selections(getNamedType(field.type) as GraphQLCompositeType, 3),
      });
    }),
    { minLength: 1, maxLength: 3 },
  );
  const variables = fc.record({ n: fc.constantFrom(0, 1, 2, -1, 1001) });
  return fc.tuple(root, variables).map(([tree, values]) => print(tree, values));
}

function print(
  tree: readonly Selection[],
  values: { n: number },
): { query: string; variables: Record<string, unknown> } {
  const fragments: string[] = [];
  const printSet = (set: readonly Selection[]): string =>
    set.length === 0 ? '' : ` { ${set.map(printOne).join(' ')} }`;
  const printOne = (s: Selection): string => {
    const directive = s.directive ? ` ${s.directive}` : '';
    if (s.kind === 'field') {
      return `${s.alias ? `${s.alias}: ` : ''}${s.name}${s.args}${directive}${printSet(s.selections)}`;
    }
    if (s.kind === 'inline') {
      return `...${s.on ? ` on ${s.on}` : ''}${directive}${printSet(s.selections)}`;
    }
    const name = `F${fragments.length}`;
    fragments.push(name); // reserve the name before the body prints its own fragments
    const index = fragments.length - 1;
    fragments[index] = `fragment ${name} on ${s.on ?? ''}${printSet(s.selections)}`;
    return `...${name}${directive}`;
  };
  const body = printSet(tree);
  const text = [body, ...fragments].join('\n');
  const declared = [
    ...(/\$yes\b/.test(text) ? ['$yes: Boolean!'] : []),
    ...(/\$no\b/.test(text) ? ['$no: Boolean!'] : []),
    ...(/\$n\b/.test(text) ? ['$n: Int'] : []),
  ];
  const head = declared.length > 0 ? `query (${declared.join(', ')})` : 'query';
  return {
    query: `${head}${body}\n${fragments.join('\n')}`.trim(),
    variables: { yes: true, no: false, n: values.n },
  };
}
