/**
 * GraphiQL at /graphql: what it opens with, and how its page is rendered.
 *
 * Yoga's built-in page loads GraphiQL's scripts, styles and editor workers from
 * a public CDN, which a browser behind a firewall (or a machine with no
 * network) cannot reach: the page would stay blank. The page is rendered by
 * `@graphql-yoga/render-graphiql` instead, which inlines every asset, so the
 * gateway serves GraphiQL on its own.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * The editor shows the text as it is; Prettier indents GraphQL embedded in
 * TypeScript, so the common indentation and the surrounding blank lines go.
 */
function dedent(text: string): string {
  const lines = text.replace(/^\n+|\s+$/g, '').split('\n');
  const indents = lines
    .filter((line) => line.trim())
    .map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const common = Math.min(...indents);
  return `${lines.map((line) => line.slice(common)).join('\n')}\n`;
}

export const DEFAULT_QUERY = dedent(/* GraphQL */ `
  # Available numbers in one region, cheapest first.
  # Change the region or page size in Variables below; for the next page, pass
  # pageInfo.endCursor as "after". The Docs button lists every type and field.
  query AvailableNumbers($region: String!, $first: Int = 10, $after: String) {
    availableNumbers(
      first: $first
      after: $after
      filter: { locationMnemonic: { eq: $region } }
      orderBy: [{ field: MIN_CHARGE, direction: ASC }, { field: PHONE_NUMBER }]
    ) {
      totalCount
      nodes {
        id
        phoneNumber
        category
        locationName
        minCharge
        monthlyCharge
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Values for the default query's variables; `msk` is a region the emulator seeds. */
export const DEFAULT_VARIABLES = { region: 'msk', first: 10 } as const;

/**
 * Props that Yoga's GraphiQL accepts but its options type does not declare:
 * `variables` fills the variables editor (GraphiQL 5 does not take a tab's
 * variables into the editor, so `defaultTabs` cannot preset them), and
 * `visiblePlugin` opens a side panel, by title, at start.
 */
interface UndeclaredGraphiQLProps {
  readonly variables: string;
  readonly visiblePlugin: string;
}

export const graphiqlOptions: GraphiQLOptions & UndeclaredGraphiQLProps = {
  title: 'Data API gateway',
  // Used when the browser has no query stored from an earlier visit.
  defaultQuery: DEFAULT_QUERY,
  variables: JSON.stringify(DEFAULT_VARIABLES, null, 2),
  defaultEditorToolsVisibility: 'variables',
  visiblePlugin: 'Documentation Explorer',
};

/**
 * Yoga renders the page on every GET; with its inlined assets it is about 9 MB
 * of text, so it is built once per (constant) options and kept.
 */
export function createGraphiQLRenderer(): (options: GraphiQLOptions) => string {
  let cached: { key: string; page: string } | undefined;
  return (options) => {
    const key = JSON.stringify(options);
    if (cached?.key !== key) cached = { key, page: renderGraphiQL(options) };
    return cached.page;
  };
}
