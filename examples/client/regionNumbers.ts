/**
 * An example client of the gateway: pages through every available number of
 * one region with `first`/`after`. The operation is typed by GraphQL Code
 * Generator (`npm run codegen` writes ./gql from the documents below), so a
 * field renamed in the schema breaks `npm run typecheck` here, not at run time.
 */
import type { RegionNumbersQuery, RegionNumbersQueryVariables } from './gql/graphql.js';
import { graphql } from './gql/index.js';

export const RegionNumbers = graphql(/* GraphQL */ `
  query RegionNumbers($region: String!, $first: Int!, $after: String) {
    availableNumbers(
      first: $first
      after: $after
      filter: { locationMnemonic: { eq: $region } }
      orderBy: [{ field: PHONE_NUMBER }]
    ) {
      totalCount
      nodes {
        phoneNumber
        category
        minCharge
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type Connection = NonNullable<RegionNumbersQuery['availableNumbers']>;
export type RegionNumber = Connection['nodes'][number];

export interface RegionNumbersOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  readonly url: string;
  /** Region code, e.g. `spb`. */
  readonly region: string;
  readonly pageSize?: number;
  /** Sent as `Authorization: Bearer`; the gateway's default token otherwise. */
  readonly token?: string;
  /**
   * Send only the operation's hash (for a gateway in allow-list mode, which
   * refuses documents it has not registered; see PERSISTED_OPERATIONS_FILE).
   */
  readonly persisted?: boolean;
}

interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function execute(
  options: RegionNumbersOptions,
  variables: RegionNumbersQueryVariables,
): Promise<Connection> {
  const response = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    },
    body: JSON.stringify(
      options.persisted
        ? { variables, extensions: { persistedQuery: { version: 1, sha256Hash: documentHash() } } }
        : { query: RegionNumbers.toString(), variables },
    ),
  });
  const result = (await response.json()) as GraphQLResponse<RegionNumbersQuery>;
  const connection = result.data?.availableNumbers;
  // A failed field is null with an error beside it; the other fields may still be there.
  if (result.errors?.length || !connection) {
    const problems = (result.errors ?? []).map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`);
    throw new Error(`RegionNumbers failed (HTTP ${response.status}): ${problems.join('; ')}`);
  }
  return connection;
}

/** The generated hash reads `sha256:<hex>`; the persisted-query extension carries the hex. */
function documentHash(): string {
  const hash: unknown = RegionNumbers.__meta__?.hash;
  if (typeof hash !== 'string') throw new Error('RegionNumbers has no hash: run `npm run codegen`');
  return hash.replace(/^sha256:/, '');
}

/**
 * Yields the region's numbers one page at a time, following `endCursor` until
 * `hasNextPage` is false. The order is by phone number, a unique key, so the
 * pages neither repeat nor skip a row.
 */
export async function* regionNumbers(
  options: RegionNumbersOptions,
): AsyncGenerator<readonly RegionNumber[], void, undefined> {
  let after: string | null = null;
  for (;;) {
    const page = await execute(options, {
      region: options.region,
      first: options.pageSize ?? 100,
      after,
    });
    yield page.nodes;
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor == null) return;
    after = page.pageInfo.endCursor;
  }
}
