/**
 * `npm run supergraph`: prints the supergraph composed from this gateway's
 * subgraph and the example team directory (teams.ts), for a router such as
 * Hive Gateway or Apollo Router. Routing URLs come from the environment:
 *
 *   DATA_API_SUBGRAPH_URL  default http://localhost:4000/graphql (`npm start`)
 *   TEAMS_SUBGRAPH_URL     default http://localhost:4001/graphql
 */
import { schema } from '../../src/schema/index.js';
import { composeSupergraph, serviceSdl } from './compose.js';
import { TEAMS_SDL } from './teams.js';

const supergraph = composeSupergraph([
  {
    name: 'data-api',
    url: process.env.DATA_API_SUBGRAPH_URL ?? 'http://localhost:4000/graphql',
    sdl: await serviceSdl(schema),
  },
  {
    name: 'teams',
    url: process.env.TEAMS_SUBGRAPH_URL ?? 'http://localhost:4001/graphql',
    sdl: TEAMS_SDL,
  },
]);
process.stdout.write(supergraph.endsWith('\n') ? supergraph : `${supergraph}\n`);
