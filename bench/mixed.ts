/**
 * The load test's workload: a client's mix rather than one scenario. Each
 * connection cycles through list pages with filters and orders (edges and
 * cursors), a page after a cursor, `node` and mixed-type `nodes` look-ups,
 * groups with their nested lists, the last groups (backward paging) and
 * totalCount-only lists. Ids and cursors come from the data, as a client's would.
 */
import type { Workload } from './workload.js';

/** One GraphQL request that must answer with data and no errors. */
export async function graphql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: unknown };
  if (!response.ok || body.errors !== undefined || !body.data) {
    throw new Error(`workload query failed (${response.status}): ${text.slice(0, 500)}`);
  }
  return body.data;
}

export interface Operation {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

/** The operations of the rotation, built from the data behind `url`. */
export async function mixedOperations(url: string): Promise<Operation[]> {
  const seed = await graphql(
    url,
    /* GraphQL */ `
      {
        availableNumbers(first: 40, orderBy: [{ field: PHONE_NUMBER }]) {
          nodes {
            id
          }
          pageInfo {
            endCursor
          }
        }
        virtualNumberGroups(first: 10) {
          nodes {
            id
          }
        }
      }
    `,
  );
  const numbers = seed.availableNumbers as {
    nodes: { id: string }[];
    pageInfo: { endCursor: string };
  };
  const groups = seed.virtualNumberGroups as { nodes: { id: string }[] };
  const numberIds = numbers.nodes.map((n) => n.id);
  const groupIds = groups.nodes.map((n) => n.id);

  const numberPage = /* GraphQL */ `
    query NumberPage($filter: AvailableNumberFilter, $after: String) {
      availableNumbers(
        first: 20
        after: $after
        filter: $filter
        orderBy: [{ field: MIN_CHARGE, direction: DESC }, { field: PHONE_NUMBER }]
      ) {
        totalCount
        edges {
          cursor
          node {
            id
            phoneNumber
            category
            locationName
            minCharge
            monthlyCharge
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;
  // A cursor works only with the query it came from (its filter and order).
  const firstPage = (await graphql(url, numberPage)).availableNumbers as {
    pageInfo: { endCursor: string };
  };
  const nextPageCursor = firstPage.pageInfo.endCursor;
  const numberNode = /* GraphQL */ `
    query NumberNode($id: ID!) {
      node(id: $id) {
        id
        ... on AvailableNumber {
          phoneNumber
          category
          minCharge
          onetimePayment
        }
      }
    }
  `;
  const mixedNodes = /* GraphQL */ `
    query MixedNodes($ids: [ID!]!) {
      nodes(ids: $ids) {
        id
        ... on AvailableNumber {
          phoneNumber
          category
        }
        ... on VirtualNumberGroup {
          databaseId
          name
        }
      }
    }
  `;
  const groupsWithMembers = /* GraphQL */ `
    query GroupsWithMembers($filter: VirtualNumberGroupFilter) {
      virtualNumberGroups(first: 10, filter: $filter, orderBy: [{ field: NAME }]) {
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
    }
  `;
  const lastGroups = /* GraphQL */ `
    {
      virtualNumberGroups(last: 5, orderBy: [{ field: DATABASE_ID }]) {
        nodes {
          name
        }
        pageInfo {
          hasPreviousPage
          startCursor
        }
      }
    }
  `;
  const counts = /* GraphQL */ `
    {
      gold: availableNumbers(filter: { category: { eq: GOLD } }) {
        totalCount
      }
      spb: availableNumbers(filter: { locationMnemonic: { eq: "spb" } }) {
        totalCount
      }
    }
  `;
  const pick = (ids: string[], index: number) => ids[index % ids.length] ?? '';

  return [
    {
      query: numberPage,
      variables: {
        filter: { locationMnemonic: { in: ['msk', 'spb'] }, category: { ne: 'USUAL' } },
      },
    },
    { query: numberNode, variables: { id: pick(numberIds, 0) } },
    { query: groupsWithMembers, variables: {} },
    { query: counts },
    {
      query: numberPage,
      variables: {
        filter: {
          or: [
            { phoneNumber: { startsWith: '7812' } },
            {
              and: [{ locationMnemonic: { eq: 'ekb' } }, { category: { in: ['GOLD', 'SILVER'] } }],
            },
          ],
        },
      },
    },
    {
      query: mixedNodes,
      variables: { ids: [pick(numberIds, 1), pick(groupIds, 0), pick(numberIds, 2)] },
    },
    { query: numberPage, variables: { after: nextPageCursor } },
    { query: numberNode, variables: { id: pick(numberIds, 3) } },
    { query: lastGroups },
    { query: groupsWithMembers, variables: { filter: { name: { contains: 'a' } } } },
    { query: mixedNodes, variables: { ids: numberIds.slice(4, 12) } },
  ];
}

/** The rotation as a bench workload (one GraphQL request per item). */
export function mixedWorkload(operations: readonly Operation[]): Workload<'mixed'> {
  return {
    scenario: 'mixed',
    protocol: 'graphql',
    items: operations.map((op) => ({ body: JSON.stringify(op) })),
    requests: operations.length,
  };
}
