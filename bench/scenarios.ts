/**
 * The scenarios of issues 6 and 14, each as the GraphQL requests a client
 * sends to the gateway. By default a scenario is **distinct traffic**: many
 * variants (pages, filters, orders, tokens), sent in turn, each connection
 * starting at its own place, so concurrent requests rarely coincide and
 * single flight cannot fold them. `S1-same` keeps the identical-request case,
 * labelled as what it measures: coalescing.
 *
 * Their JSON-RPC equivalents are not written here: `discover.ts` records the
 * calls the gateway really makes for every variant, so direct, proxy and the
 * Mesh peer always ask the API for exactly what the gateway asks.
 */

export type ScenarioId = 'S1' | 'S1-same' | 'S2' | 'S3' | 'S4-10' | 'S4-100' | 'S4-10000';

/** One request of a scenario: its variables and which of the bench's tokens it carries. */
export interface Variant {
  readonly variables: Readonly<Record<string, unknown>>;
  /** Index into the run's tokens (several tokens are distinct callers to the API). */
  readonly token: number;
}

export interface Scenario {
  readonly id: ScenarioId;
  readonly title: string;
  readonly query: string;
  /** The requests sent in turn; S3's node ids are added at discovery (they come from the data). */
  readonly variants: readonly Variant[];
}

/** Tokens a distinct workload spreads its requests over (on the static upstream). */
export const TOKEN_COUNT = 4;

/** The static upstream answers `bench-token-N` as the emulator's demo token. */
export const BENCH_TOKEN_PREFIX = 'bench-token-';

/** S1: one list page, three columns and the total. */
const LIST_PAGE = /* GraphQL */ `
  query ListPage($first: Int!, $region: String!, $direction: OrderDirection!) {
    availableNumbers(
      first: $first
      filter: { locationMnemonic: { eq: $region } }
      orderBy: [{ field: MIN_CHARGE, direction: $direction }, { field: PHONE_NUMBER }]
    ) {
      totalCount
      nodes {
        phoneNumber
        category
        minCharge
      }
    }
  }
`;

/** S2 and S4: a page of every field, its size a variable. */
const BIG_PAGE = /* GraphQL */ `
  query BigPage($first: Int!, $direction: OrderDirection!) {
    availableNumbers(first: $first, orderBy: [{ field: PHONE_NUMBER, direction: $direction }]) {
      totalCount
      nodes {
        id
        phoneNumber
        category
        locationMnemonic
        locationName
        onetimePayment
        monthlyCharge
        minCharge
      }
    }
  }
`;

/** S3: what a dashboard asks in one request. */
const DASHBOARD = /* GraphQL */ `
  query Dashboard($n1: ID!, $n2: ID!, $n3: ID!, $g1: ID!, $g2: ID!) {
    cheapSpb: availableNumbers(
      first: 10
      filter: { locationMnemonic: { eq: "spb" } }
      orderBy: [{ field: MIN_CHARGE }]
    ) {
      totalCount
      nodes {
        id
        phoneNumber
        category
        minCharge
      }
    }
    gold: availableNumbers(
      first: 10
      filter: { category: { eq: GOLD } }
      orderBy: [{ field: PHONE_NUMBER, direction: DESC }]
    ) {
      totalCount
      nodes {
        id
        phoneNumber
        locationName
        monthlyCharge
      }
    }
    virtualNumberGroups(first: 10, orderBy: [{ field: NAME }]) {
      totalCount
      nodes {
        id
        databaseId
        name
        number
        employees {
          id
          fullName
        }
        employeeGroups {
          id
          name
        }
        virtualPhones {
          id
          number
        }
      }
    }
    n1: node(id: $n1) {
      ...Looked
    }
    n2: node(id: $n2) {
      ...Looked
    }
    n3: node(id: $n3) {
      ...Looked
    }
    g1: node(id: $g1) {
      ...Looked
    }
    g2: node(id: $g2) {
      ...Looked
    }
  }

  fragment Looked on Node {
    id
    ... on AvailableNumber {
      phoneNumber
      category
    }
    ... on VirtualNumberGroup {
      name
      number
    }
  }
`;

/** Real global ids for S3's look-ups, asked of the gateway once at discovery. */
export const DASHBOARD_IDS_QUERY = /* GraphQL */ `
  query DashboardIds {
    availableNumbers(first: 3, orderBy: [{ field: PHONE_NUMBER, direction: DESC }]) {
      nodes {
        id
      }
    }
    virtualNumberGroups(first: 2, orderBy: [{ field: NUMBER, direction: DESC }]) {
      nodes {
        id
      }
    }
  }
`;

const REGIONS = ['msk', 'spb', 'ekb', 'nsk', 'kzn', 'sam'] as const;
const DIRECTIONS = ['ASC', 'DESC'] as const;

/** 360 list pages: sizes 11–40, six regions, both directions, the tokens in turn. */
function listPages(): Variant[] {
  const variants: Variant[] = [];
  for (let first = 11; first <= 40; first += 1) {
    for (const region of REGIONS) {
      for (const direction of DIRECTIONS) {
        variants.push({
          variables: { first, region, direction },
          token: variants.length % TOKEN_COUNT,
        });
      }
    }
  }
  return variants;
}

/**
 * Big pages: both directions under every token (distinct callers, so single
 * flight never folds two of them). Cursors are bound to the rows they came
 * from, so a bench cannot make them up; a page further on would need the
 * previous page first.
 */
function bigPages(rows: number): Variant[] {
  const variants: Variant[] = [];
  for (let token = 0; token < TOKEN_COUNT; token += 1) {
    for (const direction of DIRECTIONS) {
      variants.push({ variables: { first: rows, direction }, token });
    }
  }
  return variants;
}

const bigPage = (id: ScenarioId, rows: number): Scenario => ({
  id,
  title: `${rows} rows, every field`,
  query: BIG_PAGE,
  variants: bigPages(rows),
});

export const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = {
  S1: {
    id: 'S1',
    title: 'list pages: 11–40 rows, 3 fields + totalCount; 360 distinct requests',
    query: LIST_PAGE,
    variants: listPages(),
  },
  'S1-same': {
    id: 'S1-same',
    title: 'coalescing: one identical list page (20 rows, spb) on every connection',
    query: LIST_PAGE,
    variants: [{ variables: { first: 20, region: 'spb', direction: 'ASC' }, token: 0 }],
  },
  // S2 is also S4's 1 000-row point: one cell serves both.
  S2: { ...bigPage('S2', 1000), title: 'big pages: 1000 rows, every field' },
  S3: {
    id: 'S3',
    title: 'dashboard: 2 aliased lists, groups with nested lists, 5 node look-ups',
    query: DASHBOARD,
    variants: Array.from({ length: TOKEN_COUNT }, (_, token) => ({ variables: {}, token })),
  },
  'S4-10': bigPage('S4-10', 10),
  'S4-100': bigPage('S4-100', 100),
  'S4-10000': bigPage('S4-10000', 10_000),
};

/** S4's growth series, S2 standing for its 1 000-row point. */
export const GROWTH_SERIES: readonly ScenarioId[] = ['S4-10', 'S4-100', 'S2', 'S4-10000'];
