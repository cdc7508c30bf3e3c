/** Entry for codegen: the subgraph schema with its directive definitions (see published.ts). */
import { schema as served } from './index.js';
import { subgraphSchema } from './published.js';

export const schema = subgraphSchema(served);
