/**
 * The scenarios as the GraphQL requests a client sends: distinct traffic (many variants sent in
 * turn, each connection at its own place, so single flight cannot fold them) but for `S1-same`, the
 * identical-request case labelled as what it measures: coalescing.
 */

export type ScenarioId = 'S1' | 'S1-same' | 'S2' | 'S3' | 'S4-10' | 'S4-100' | 'S4-10000';
/** A request: its variables (S3's node ids come at discovery) and which of the run's tokens it carries. */
export type Variant = { variables: Readonly<Record<string, unknown>>; token: number };
export type Scenario = { id: ScenarioId; title: string; query: string; variants: Variant[] };

/** Tokens a distinct workload spreads its requests over (distinct callers to the API). */
export const TOKEN_COUNT = 4;
/** The static upstream answers `bench-token-N` as the emulator's demo token. */
export const BENCH_TOKEN_PREFIX = 'bench-token-';

/** S1: one list page, three columns and the total. */
const LIST_PAGE = `query ListPage($first: Int!, $region: String!, $direction: OrderDirection!) {
  availableNumbers(first: $first, filter: { locationMnemonic: { eq: $region } },
    orderBy: [{ field: MIN_CHARGE, direction: $direction }, { field: PHONE_NUMBER }]) {
    totalCount nodes { phoneNumber category minCharge }
  }
}`;

/** S2, S4 and the abandoning clients: a page of every field, its size a variable. */
export const BIG_PAGE = `query BigPage($first: Int!, $direction: OrderDirection!) {
  availableNumbers(first: $first, orderBy: [{ field: PHONE_NUMBER, direction: $direction }]) {
    totalCount
    nodes { id phoneNumber category locationMnemonic locationName onetimePayment monthlyCharge minCharge }
  }
}`;

/** S3: what a dashboard asks in one request. */
const DASHBOARD = `query Dashboard($n1: ID!, $n2: ID!, $n3: ID!, $g1: ID!, $g2: ID!) {
  cheapSpb: availableNumbers(first: 10, filter: { locationMnemonic: { eq: "spb" } },
    orderBy: [{ field: MIN_CHARGE }]) { totalCount nodes { id phoneNumber category minCharge } }
  gold: availableNumbers(first: 10, filter: { category: { eq: GOLD } },
    orderBy: [{ field: PHONE_NUMBER, direction: DESC }]) {
    totalCount nodes { id phoneNumber locationName monthlyCharge }
  }
  virtualNumberGroups(first: 10, orderBy: [{ field: NAME }]) {
    totalCount
    nodes {
      id databaseId name number
      employees { id fullName } employeeGroups { id name } virtualPhones { id number }
    }
  }
  n1: node(id: $n1) { ...Looked } n2: node(id: $n2) { ...Looked } n3: node(id: $n3) { ...Looked }
  g1: node(id: $g1) { ...Looked } g2: node(id: $g2) { ...Looked }
}
fragment Looked on Node {
  id ... on AvailableNumber { phoneNumber category } ... on VirtualNumberGroup { name number }
}`;

/** Real global ids for S3's look-ups, asked of the gateway once at discovery. */
export const DASHBOARD_IDS_QUERY = `query DashboardIds {
  availableNumbers(first: 3, orderBy: [{ field: PHONE_NUMBER, direction: DESC }]) { nodes { id } }
  virtualNumberGroups(first: 2, orderBy: [{ field: NUMBER, direction: DESC }]) { nodes { id } }
}`;

const REGIONS = ['msk', 'spb', 'ekb', 'nsk', 'kzn', 'sam'];
const DIRECTIONS = ['ASC', 'DESC'];
const withTokens = (variables: Record<string, unknown>[]) =>
  variables.map((v, i) => ({ variables: v, token: i % TOKEN_COUNT }));

/** Sizes 11–40, six regions, both directions (the tokens in turn, by `withTokens`). */
const listPages = () =>
  Array.from({ length: 30 }, (_, i) => i + 11).flatMap((first) =>
    REGIONS.flatMap((region) => DIRECTIONS.map((direction) => ({ first, region, direction }))),
  );

/**
 * Big pages in both directions under every token (distinct callers, so single flight never folds
 * two). Cursors are bound to the rows they came from, so the bench cannot make up a page further
 * on.
 */
const bigPage = (id: ScenarioId, rows: number, title = `${rows} rows, every field`): Scenario => ({
  id,
  title,
  query: BIG_PAGE,
  variants: Array.from({ length: TOKEN_COUNT * 2 }, (_, i) => {
    const variables = { first: rows, direction: DIRECTIONS[i % 2] };
    return { variables, token: Math.floor(i / 2) };
  }),
});

export const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = {
  S1: {
    id: 'S1',
    title: 'list pages: 11–40 rows, 3 fields + totalCount; 360 distinct requests',
    query: LIST_PAGE,
    variants: withTokens(listPages()),
  },
  'S1-same': {
    id: 'S1-same',
    title: 'coalescing: one identical list page (20 rows, spb) on every connection',
    query: LIST_PAGE,
    variants: [{ variables: { first: 20, region: 'spb', direction: 'ASC' }, token: 0 }],
  },
  // S2 is also S4's 1 000-row point: one cell serves both.
  S2: bigPage('S2', 1000, 'big pages: 1000 rows, every field'),
  S3: {
    id: 'S3',
    title: 'dashboard: 2 aliased lists, groups with nested lists, 5 node look-ups',
    query: DASHBOARD,
    variants: withTokens(Array.from({ length: TOKEN_COUNT }, () => ({}))),
  },
  'S4-10': bigPage('S4-10', 10),
  'S4-100': bigPage('S4-100', 100),
  'S4-10000': bigPage('S4-10000', 10_000),
};

/** S4's growth series, S2 standing for its 1 000-row point. */
export const GROWTH_SERIES: readonly ScenarioId[] = ['S4-10', 'S4-100', 'S2', 'S4-10000'];
