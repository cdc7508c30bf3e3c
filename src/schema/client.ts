/** Entry for codegen: the client-facing schema (see published.ts). */
import { schema as served } from './index.js';
import { clientSchema } from './published.js';

export const schema = clientSchema(served);
