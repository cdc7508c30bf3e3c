import { composeServices } from '@theguild/federation-composition';
import type { GraphQLSchema } from 'graphql';
import { graphql, parse } from 'graphql';

export interface Subgraph {
  /** Name in the supergraph (`join__Graph`); routers log and plan by it. */
  readonly name: string;
  /** Where the router sends this subgraph's part of a query. */
  readonly url: string;
  /** The subgraph's SDL with its federation directives, as `_service { sdl }` returns it. */
  readonly sdl: string;
}

/**
 * Composes subgraphs into a supergraph SDL for a router. Composition errors
 * throw, each on its own line, so a script exits non-zero and a test fails.
 */
export function composeSupergraph(subgraphs: readonly Subgraph[]): string {
  const result = composeServices(
    subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  );
  if (result.errors) {
    const lines = result.errors.map((error) => `  - ${error.message}`);
    throw new Error(`supergraph composition failed:\n${lines.join('\n')}`);
  }
  return result.supergraphSdl;
}

/** A subgraph schema's SDL, read the way a router reads it: `{ _service { sdl } }`. */
export async function serviceSdl(schema: GraphQLSchema): Promise<string> {
  const { data, errors } = await graphql({ schema, source: '{ _service { sdl } }' });
  const sdl = (data as { _service?: { sdl?: unknown } } | null | undefined)?._service?.sdl;
  if (errors?.length || typeof sdl !== 'string') {
    throw new Error(`no _service.sdl: ${errors?.map((e) => e.message).join('; ') ?? 'empty'}`);
  }
  return sdl;
}
