import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../../src/schema/index.js';
import { isParentOnly } from '../../../src/schema/parentOnly.js';

describe('row types', () => {
  it("declare every edge's node parent-only, so the fast executor builds no info object per edge", () => {
    const edges = Object.values(schema.getTypeMap()).filter(
      (type) => isObjectType(type) && type.name.endsWith('Edge'),
    );
    expect(edges.map((edge) => edge.name).sort()).toEqual([
      'AvailableNumberEdge',
      'VirtualNumberGroupEdge',
    ]);
    for (const edge of edges) {
      const node = isObjectType(edge) ? edge.getFields().node : undefined;
      expect({ edge: edge.name, parentOnly: isParentOnly(node?.resolve) }).toEqual({
        edge: edge.name,
        parentOnly: true,
      });
    }
  });
});
