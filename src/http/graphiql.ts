/**
 * GraphiQL at /graphql: what it opens with, and how its page is rendered.
 *
 * Yoga's built-in page loads GraphiQL's scripts, styles and editor workers from
 * a public CDN, which a browser behind a firewall (or a machine with no
 * network) cannot reach: the page would stay blank. The assets of
 * `@graphql-yoga/render-graphiql` are served by the gateway itself instead
 * (graphiqlAssets.ts), and the page only references them.
 */
import type { GraphiQLOptions } from 'graphql-yoga';
import { graphiqlAssets } from './graphiqlAssets.js';

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

/** JSON inside a <script>: `<` escaped, so no value can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => `&#${String(c.codePointAt(0))};`);

/**
 * The page: what `@graphql-yoga/render-graphiql` renders, with its assets
 * referenced by URL instead of inlined (about 1 KB instead of 9 MB).
 */
export function renderGraphiQLPage(options: GraphiQLOptions, graphqlEndpoint: string): string {
  const { script, style, icon, workers } = graphiqlAssets();
  const url = (asset: { path: string }) => `${graphqlEndpoint}/${asset.path}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${url(icon)}" />
    <link rel="stylesheet" href="${url(style)}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      // One script for every editor worker: Monaco names each by its label.
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: () => ${scriptJson(url(workers))},
      };
    </script>
    <script src="${url(script)}"></script>
    <script>
      const options = ${scriptJson(options)};
      // GraphiQL 5 opens a new, empty tab on every visit unless it is given
      // the query and variables of a stored tab: a return visit (tabs stored,
      // no shared ?query= link) gets those of its active tab, so the tabs
      // stay as they were left and only a first visit gets the example.
      try {
        const stored = JSON.parse(localStorage.getItem('graphiql:tabState') ?? 'null');
        const active = stored?.tabs?.[stored.activeTabIndex];
        if (active && !new URL(location.href).searchParams.has('query')) {
          options.query = active.query ?? '';
          options.variables = active.variables ?? '';
        }
      } catch {}
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), options);
    </script>
  </body>
</html>
`;
}

/** Yoga calls this on every GET of the page; the page is small, built each time. */
export function createGraphiQLRenderer(
  graphqlEndpoint = '/graphql',
): (options: GraphiQLOptions) => string {
  return (options) => renderGraphiQLPage(options, graphqlEndpoint);
}
