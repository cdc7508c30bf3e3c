import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './availableNumber.js';
import './virtualNumberGroup.js';
import './node.js';

/** The gateway's schema, types sorted so the printed SDL diffs cleanly. */
export const schema = lexicographicSortSchema(builder.toSchema());
