/**
 * The scenarios of issue 6, each as the GraphQL request a client sends to the
 * gateway. Their JSON-RPC equivalents are not written here: `discover.ts`
 * records the calls the gateway really makes for each, so direct and proxy
 * always send exactly what the gateway sends.
 */

export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4-10' | 'S4-100' | 'S4-10000';

export interface Scenario {
  readonly id: ScenarioId;
  readonly title: string;
  readonly query: string;
  /** Static variables; S3's node ids are added at discovery (they come from the data). */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** S1: one list page, three columns and the total. */
const LIST_PAGE = /* GraphQL */ `
  query ListPage {
    availableNumbers(
      first: 20
      filter: { locationMnemonic: { eq: "spb" } }
      orderBy: [{ field: MIN_CHARGE }, { field: PHONE_NUMBER }]
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
  query BigPage($first: Int!) {
    availableNumbers(first: $first, orderBy: [{ field: PHONE_NUMBER }]) {
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

const bigPage = (id: ScenarioId, rows: number): Scenario => ({
  id,
  title: `${rows} rows, every field`,
  query: BIG_PAGE,
  variables: { first: rows },
});

export const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = {
  S1: {
    id: 'S1',
    title: 'list page: 20 rows, 3 fields + totalCount',
    query: LIST_PAGE,
    variables: {},
  },
  // S2 is also S4's 1 000-row point: one cell serves both.
  S2: { ...bigPage('S2', 1000), title: 'big page: 1000 rows, every field' },
  S3: {
    id: 'S3',
    title: 'dashboard: 2 aliased lists, groups with nested lists, 5 node look-ups',
    query: DASHBOARD,
    variables: {},
  },
  'S4-10': bigPage('S4-10', 10),
  'S4-100': bigPage('S4-100', 100),
  'S4-10000': bigPage('S4-10000', 10_000),
};

/** S4's growth series, S2 standing for its 1 000-row point. */
export const GROWTH_SERIES: readonly ScenarioId[] = ['S4-10', 'S4-100', 'S2', 'S4-10000'];
