import { z } from 'zod';

/** The headings of the configuration reference, in the order it lists them. */
export const GROUPS = {
  server: 'Server',
  upstream: 'Data API',
  resilience: 'Resilience',
  caching: 'Caching and persisted queries',
  paging: 'Paging',
  limits: 'Request limits',
  access: 'Access and tooling',
} as const;

export type Group = keyof typeof GROUPS;

/** What the configuration reference says about one environment variable. */
export interface VariableMeta {
  readonly env: string;
  readonly group: Group;
  /** Markdown: what it does, and what its values mean. */
  readonly doc: string;
  /** Markdown for the default column when the parsed default alone would mislead. */
  readonly defaultDoc?: string;
  /** Shown in the README's short table as well. */
  readonly essential?: boolean;
}

/** Every declared variable's schema, with its name and documentation. */
export const variables = z.registry<VariableMeta>();

/** One environment variable: its parser (which holds its default) and its documentation. */
export function variable<T extends z.ZodType>(schema: T, meta: VariableMeta): T {
  variables.add(schema, meta);
  return schema;
}

/** A declared variable and where its value sits in the configuration object. */
export interface Leaf {
  readonly path: readonly string[];
  readonly schema: z.ZodType;
  readonly meta: VariableMeta;
}

/** The variables of a declared tree, in declaration order; every leaf must be a variable. */
export function leavesOf(shape: Readonly<Record<string, z.ZodType>>, path: string[] = []): Leaf[] {
  return Object.entries(shape).flatMap(([key, schema]) => {
    const meta = variables.get(schema);
    if (meta) return [{ path: [...path, key], schema, meta }];
    if (schema instanceof z.ZodObject) return leavesOf(schema.shape, [...path, key]);
    throw new Error(`config: ${[...path, key].join('.')} is neither a variable nor a group`);
  });
}
