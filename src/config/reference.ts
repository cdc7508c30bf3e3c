import type { Leaf } from './variable.js';
import { GROUPS } from './variable.js';

/**
 * The configuration reference as Markdown, generated from the declared
 * variables so the docs cannot drift from what the code reads.
 */

function defaultOf(leaf: Leaf): string {
  if (leaf.meta.defaultDoc !== undefined) return leaf.meta.defaultDoc;
  const parsed = leaf.schema.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) return 'unset';
  const value: unknown = parsed.data;
  // Defaults are numbers, strings and booleans; anything else must say so in defaultDoc.
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new Error(`${leaf.meta.env}: its default needs a defaultDoc`);
  }
  return `\`${String(value)}\``;
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

function table(leaves: readonly Leaf[], linkBase: string): string[] {
  return [
    '| variable | default | meaning |',
    '| --- | --- | --- |',
    ...leaves.map(
      (leaf) =>
        `| \`${leaf.meta.env}\` | ${escapeCell(defaultOf(leaf))} | ${escapeCell(
          // Links in the docs are relative to docs/; from the README they need the folder.
          leaf.meta.doc.replace(/\]\((?!https?:)([^)]+)\)/g, `](${linkBase}$1)`),
        )} |`,
    ),
  ];
}

/** Every variable, one table per group (docs/configuration.md). */
export function referenceTables(leaves: readonly Leaf[]): string {
  const sections = Object.entries(GROUPS).flatMap(([group, heading]) => {
    const inGroup = leaves.filter((leaf) => leaf.meta.group === group);
    return inGroup.length === 0 ? [] : [`### ${heading}`, '', ...table(inGroup, ''), ''];
  });
  return sections.join('\n');
}

/** The few variables most users set (the README). */
export function essentialsTable(leaves: readonly Leaf[]): string {
  return `${table(
    leaves.filter((leaf) => leaf.meta.essential === true),
    'docs/',
  ).join('\n')}\n`;
}
