/**
 * The SDL files in schema/ as tools nobody here wrote read them: graphql-js
 * `buildSchema` for both, a federation composer for the subgraph.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, parse, printSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../../examples/federation/compose.js';
import { schema as served } from '../../../src/schema/index.js';
import { clientSchema } from '../../../src/schema/published.js';

const read = (file: string) =>
  readFileSync(new URL(`../../../schema/${file}`, import.meta.url), 'utf8');

describe('schema/schema.graphql', () => {
  const sdl = read('schema.graphql');

  it('builds in plain graphql-js, with no federation internals', () => {
    const built = buildSchema(sdl);
    const fields = Object.keys(built.getQueryType()?.getFields() ?? {});
    expect(fields).toEqual(
      expect.arrayContaining(['availableNumbers', 'virtualNumberGroups', 'node', 'nodes']),
    );
    expect(fields).not.toContain('_entities');
    expect(fields).not.toContain('_service');
    for (const type of ['_Any', '_Entity', '_Service']) expect(built.getType(type)).toBeUndefined();
    expect(sdl).not.toMatch(/@key|@link/);
  });

  it('is the served schema less federation, so client documents validate the same', () => {
    const built = buildSchema(sdl);
    expect(printSchema(built)).toBe(printSchema(clientSchema(served)));
    const document = parse(
      '{ availableNumbers(first: 2) { totalCount nodes { id phoneNumber } } }',
    );
    expect(validate(built, document)).toEqual([]);
    expect(validate(served, document)).toEqual([]);
  });
});

describe('schema/subgraph.graphql', () => {
  const sdl = read('subgraph.graphql');

  it('builds in plain graphql-js, with the federation directives defined and applied', () => {
    const built = buildSchema(sdl);
    expect(built.getDirective('key')?.isRepeatable).toBe(true);
    expect(built.getDirective('link')).toBeDefined();
    const keys = (name: string) =>
      built
        .getType(name)
        ?.astNode?.directives?.filter((d) => d.name.value === 'key')
        .map((d) => d.arguments?.[0]?.value);
    expect(keys('AvailableNumber')?.[0]).toMatchObject({ value: 'phoneNumber' });
    expect(keys('VirtualNumberGroup')?.[0]).toMatchObject({ value: 'databaseId' });
    expect(Object.keys(built.getQueryType()?.getFields() ?? {})).toContain('_entities');
  });

  it('composes into a supergraph', () => {
    const supergraph = composeSupergraph([
      { name: 'numbers', url: 'http://127.0.0.1:1/graphql', sdl },
    ]);
    expect(supergraph).toContain('join__type(graph: NUMBERS, key: "phoneNumber")');
  });
});
