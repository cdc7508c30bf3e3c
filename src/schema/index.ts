import './availableNumber.js';
import './virtualNumberGroup.js';
import './node.js';
import { buildSubgraphSchema } from './federation.js';

/** The gateway's schema, also a Federation v2 subgraph; types sorted so its SDL diffs cleanly. */
export const schema = buildSubgraphSchema();
