import type { Row } from '../api/wire.js';
import type { CursorMaker, ListFieldPlan } from '../plan/listField.js';
import type { CallTable } from '../upstream/callTable.js';
import type { Cursor } from '../translate/cursor.js';
import { encodeCursor } from '../translate/cursor.js';
import { compareWithValues, sortValues } from '../translate/order.js';
import type { CursorTest, Flag } from '../translate/paging.js';
import { resolvePage } from '../translate/paging.js';

/** An edge whose cursor is encoded only if the query selects it (most select `nodes`). */
class Edge {
  constructor(
    readonly node: Row,
    private readonly position: number | undefined,
    private readonly maker: CursorMaker,
  ) {}

  get cursor(): string {
    const values = sortValues(this.node, this.maker.sort);
    return encodeCursor(
      this.maker.fingerprint,
      this.position === undefined ? { values } : { position: this.position, values },
    );
  }
}

type MaybeLater<T> = T | Promise<T>;

/** Flags that need the list's total are worked out (one count call) only if selected. */
class PageInfo {
  constructor(
    private readonly edges: readonly Edge[],
    private readonly next: Flag,
    private readonly previous: Flag,
    private readonly total: () => Promise<number>,
  ) {}

  private flag(flag: Flag): MaybeLater<boolean> {
    return typeof flag === 'boolean' ? flag : this.total().then((n) => n > flag.totalAbove);
  }

  get hasNextPage(): MaybeLater<boolean> {
    return this.flag(this.next);
  }

  get hasPreviousPage(): MaybeLater<boolean> {
    return this.flag(this.previous);
  }

  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.edges.at(-1)?.cursor ?? null;
  }
}

export interface Connection {
  readonly edges: readonly Edge[];
  readonly pageInfo: PageInfo;
  readonly totalCount: MaybeLater<number>;
}

/**
 * Resolves a list field from its plan (plan/listField.ts): arguments were
 * validated and translated, and its calls decided, before execution. Loads
 * the page through the request's call table and finds the cursor's place in
 * it (translate/paging.ts).
 */
export async function resolveConnection(
  plan: ListFieldPlan,
  calls: CallTable,
): Promise<Connection> {
  const { method, size, cursors, fetch, maker } = plan;
  const count = plan.count;
  const countList = (): Promise<number> =>
    count
      ? calls.total(count.call)
      : Promise.reject(new Error('unreachable: a total asked for that the plan did not count'));

  if (!plan.page) {
    const total = await countList();
    const shown = Math.min(size.size, total);
    return {
      edges: [],
      pageInfo: new PageInfo(
        [],
        size.forward && shown < total,
        !size.forward && shown < total,
        countList,
      ),
      totalCount: total,
    };
  }

  const pageCall = plan.page.call;
  const result = await calls.result(pageCall);
  const total = await calls.total(pageCall);
  const { sort } = maker;
  const keyIndex = sort.findIndex(({ field }) => field === method.key);
  const test: CursorTest = {
    compare: (row: Row, cursor: Cursor) => compareWithValues(method, sort, row, cursor.values),
    isRowOf: (row: Row, cursor: Cursor) => row[method.key] === cursor.values[keyIndex],
  };
  const page = resolvePage(fetch, size, cursors, result.data, total, test);
  const edges = page.rows.map(
    (row, i) => new Edge(row, page.position === undefined ? undefined : page.position + i, maker),
  );
  return {
    edges,
    pageInfo: new PageInfo(edges, page.hasNextPage, page.hasPreviousPage, countList),
    get totalCount(): MaybeLater<number> {
      return countList();
    },
  };
}
