import './availableNumber.js';
import './virtualNumberGroup.js';
import './node.js';
import { isObjectType } from 'graphql';
import { buildSubgraphSchema } from './federation.js';
import { parentOnly } from './parentOnly.js';

/** The gateway's schema, also a Federation v2 subgraph; types sorted so its SDL diffs cleanly. */
export const schema = buildSubgraphSchema();

// Pothos' relay plugin resolves an edge's `node` as `parent.node`, from the
// edge alone; said so, the fast executor writes edges straight to JSON text
// as it writes rows, instead of building an info object per edge.
for (const type of Object.values(schema.getTypeMap())) {
  if (!isObjectType(type) || !type.name.endsWith('Edge')) continue;
  const node = type.getFields().node;
  if (node) node.resolve = parentOnly((edge: { readonly node: unknown }) => edge.node);
}
