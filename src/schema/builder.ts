import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import type { GatewayContext } from './context.js';
import { CURSOR_SLACK } from '../translate/paging.js';

const CURSOR_GUARANTEE = `Use a cursor only with the query it came from (same list, filter, orderBy and userId); another is refused (BAD_USER_INPUT). The page resumes next to the cursor's row even if rows were added or removed since: whatever the change when every sort key is numeric (e.g. groups by databaseId), otherwise while at most ${CURSOR_SLACK} rows (net) were added or removed before the cursor; beyond that the cursor is refused as stale (BAD_USER_INPUT).`;

/** An edge's `node` field, as the builder's relay options and rowType.ts's edges declare it. */
export const EDGE_NODE_FIELD = { nullable: false, description: 'The row.' } as const;

/** The one Pothos builder every GraphQL type module registers on. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  // Pothos' default (and ours): fields are nullable, as the API returns null for
  // empty values; keys are declared non-null where they are defined.
  // Federation (schema/federation.ts) needs the directives plugin before it to
  // put `@key`/`@link` into the printed SDL.
  plugins: [RelayPlugin, DirectivePlugin, FederationPlugin],
  // graphql-tools' shape (`{ key: [args] }`): GraphQL Code Generator prints the
  // schema through graphql-tools, which misreads Pothos' default list shape.
  directives: { useGraphQLToolsUnorderedDirectives: true },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    idFieldOptions: { description: 'Global id, for `node(id:)`.' },
    edgesFieldOptions: { nullable: false, description: 'The rows of this page, with cursors.' },
    nodeFieldOptions: EDGE_NODE_FIELD,
    nodesOnConnection: { description: 'The rows of this page.' },
    cursorFieldOptions: {
      description: 'Opaque position of this row, for `after`/`before` with the same query.',
    },
    pageInfoFieldOptions: { description: 'Where this page sits in the list.' },
    hasNextPageFieldOptions: { description: 'Rows follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Rows precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first row of the page.' },
    endCursorFieldOptions: { description: 'Cursor of the last row of the page.' },
    firstArgOptions: { description: 'Page size from the start (default 20).' },
    afterArgOptions: { description: `Start after this cursor. ${CURSOR_GUARANTEE}` },
    lastArgOptions: { description: 'Page size from the end (without `before`: the last rows).' },
    beforeArgOptions: { description: `End before this cursor. ${CURSOR_GUARANTEE}` },
    // node/nodes are defined in schema/node.ts: unknown or malformed ids resolve to null there.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodeTypeOptions: { description: 'An object with a globally unique, opaque id.' },
    pageInfoTypeOptions: { description: 'Where a page sits in its list.' },
  },
});

builder.queryType({ description: 'Read access to the Data API.' });
