import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { parse } from 'graphql';

/**
 * An example second subgraph: a team directory that knows which team owns
 * which virtual number group. It extends the gateway's `VirtualNumberGroup`
 * entity by its key, `databaseId`, with a field of its own (`owningTeam`), and
 * returns groups by reference (`Team.groups`) for the gateway to resolve.
 */
export const TEAMS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  """
  A virtual number group of the Data API gateway, extended by the team directory.
  """
  type VirtualNumberGroup @key(fields: "databaseId") {
    databaseId: Int!
    """
    The team that answers calls to this group; null when no team owns it.
    """
    owningTeam: Team
  }

  """
  A team of the directory.
  """
  type Team {
    name: String!
    """
    Groups the team owns, resolved by the Data API gateway.
    """
    groups: [VirtualNumberGroup!]!
  }

  type Query {
    """
    Every team of the directory.
    """
    teams: [Team!]!
  }
`;

export interface Team {
  readonly name: string;
  /** `databaseId`s of the groups the team owns. */
  readonly groupIds: readonly number[];
}

interface GroupReference {
  readonly databaseId: number;
}

/** The subgraph's executable schema over an in-memory directory. */
export function createTeamsSchema(teams: readonly Team[]): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(TEAMS_SDL),
    resolvers: {
      Query: { teams: () => teams },
      Team: {
        // Only the key: the router asks the gateway for everything else.
        groups: (team: Team): GroupReference[] =>
          team.groupIds.map((databaseId) => ({ databaseId })),
      },
      VirtualNumberGroup: {
        __resolveReference: (reference: GroupReference): GroupReference => reference,
        owningTeam: (group: GroupReference): Team | null =>
          teams.find((team) => team.groupIds.includes(group.databaseId)) ?? null,
      },
    },
  });
}
