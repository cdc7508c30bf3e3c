/**
 * Rows from bytes against rows from objects (issue 24): two gateways, each a
 * process of its own behind the lean door over the same in-memory API (its
 * replies hold the asked columns only, as the API's do), one writing every
 * page from the reply's bytes, the other every page from objects. This
 * process sends both the same distinct pages in interleaved batches, so the
 * shared machine's noise falls on both, and reads each gateway's CPU from
 * /proc. Prints the median CPU per request of each and their ratio.
 * Where BYTES_MIN_VALUES (src/http/plugins/fastExecute.ts) comes from.
 *
 *   npx tsx bench/fromBytes.ts [--rows 24] [--columns 3|7|8] [--rounds 14]
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import type { GetParams, GetResult } from '../src/api/wire.js';
import { loadConfig } from '../src/config/config.js';
import { createNodeHandler } from '../src/http/leanDoor.js';
import { createGateway } from '../src/http/server.js';
import { createLogger } from '../src/observability/logger.js';
import { keepReplyBytes } from '../src/rpc/replyBytes.js';
import { sampleProcess } from './procstat.js';
import { median } from './stats.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '24' },
    columns: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '14' },
    // A child: serves one gateway with this rowsFromBytesMinValues.
    serve: { type: 'string' },
  },
});
const rows = Number(values.rows);
const rounds = Number(values.rounds);
const FIELDS: Record<string, string> = {
  '3': 'phoneNumber category minCharge',
  '7': 'phoneNumber category locationMnemonic locationName onetimePayment monthlyCharge minCharge',
  '8': 'id phoneNumber category locationMnemonic locationName onetimePayment monthlyCharge minCharge',
};
const fields = FIELDS[values.columns];
if (!Number.isInteger(rows) || rows < 1 || rows > 10_000 || !fields || !(rounds >= 3)) {
  throw new Error('usage: --rows 1..10000 --columns 3|7|8 --rounds 3 or more');
}

/** The API's reply to `limit` rows of the asked `fields`, as the emulator spells it. */
function reply(limit: number, fields: readonly string[] | undefined): Buffer {
  const data = Array.from({ length: limit }, (_, i) => {
    const row: Record<string, unknown> = {
      phone_number: String(74950000000 + i),
      category: ['usual', 'bronze', 'silver', 'gold'][i % 4],
      location_mnemonic: 'msk',
      location_name: `Moscow ${String(i)}`,
      onetime_payment: i * 5,
      monthly_charge: i * 2,
      min_charge: i * 10,
    };
    const asked = fields ?? Object.keys(row);
    return JSON.stringify(Object.fromEntries(asked.map((field) => [field, row[field]])));
  });
  return Buffer.from(
    `{"jsonrpc":"2.0","id":1,"result":{"metadata":{"total_items":99999},"data":[${data.join(',')}]}}`,
  );
}

const replies = new Map<string, Buffer>();
function replyTo(params: GetParams): Buffer {
  const limit = params.limit ?? rows;
  const key = `${String(limit)} ${String(params.fields)}`;
  let bytes = replies.get(key);
  if (!bytes) {
    bytes = reply(limit, params.fields);
    replies.set(key, bytes);
  }
  return bytes;
}

/** Serves a gateway whose pages are all written from bytes (0) or none (Infinity); tells its port. */
async function serve(rowsFromBytesMinValues: number): Promise<void> {
  const config = loadConfig({ PAGE_SIZE_MAX: '10000' });
  const served = createGateway({
    ...config,
    limits: { ...config.limits, maxCost: 10_000 * 20 * 4 },
    dataApiUrl: 'http://127.0.0.1:9/v2.0',
    dataApiToken: 'token',
    logger: createLogger('silent'),
    rowsFromBytesMinValues,
    client: {
      // Parsed as the RPC client parses a reply, its bytes kept as it keeps them.
      get: (_method, params) => {
        const bytes = replyTo(params);
        const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { result: GetResult };
        keepReplyBytes(parsed.result.data, bytes);
        return Promise.resolve(parsed.result);
      },
    },
  });
  const server = createServer(
    createNodeHandler(served, {
      door: 'lean',
      endpoint: '/graphql',
      maxBodyBytes: config.limits.maxBodyBytes,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send?.({ port: (server.address() as AddressInfo).port });
  process.once('disconnect', () => process.exit(0));
}

/** A gateway in a child process, and a pool of connections to it. */
async function gateway(minValues: string) {
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--serve', minValues, '--rows', String(rows), '--columns', values.columns],
    { execArgv: ['--import', 'tsx'] },
  );
  const [message] = (await once(child, 'message')) as [{ port: number }];
  const pool = new Pool(`http://127.0.0.1:${String(message.port)}`, { connections: CONNECTIONS });
  const pid = child.pid ?? 0;
  return {
    pool,
    cpu: () => sampleProcess(pid).cpuMicros,
    stop: () => {
      child.disconnect();
    },
  };
}

const CONNECTIONS = 8;
const QUERY = `query Page($first: Int!, $region: String!, $direction: OrderDirection!) {
  availableNumbers(first: $first, filter: { locationMnemonic: { eq: $region } },
    orderBy: [{ field: MIN_CHARGE, direction: $direction }, { field: PHONE_NUMBER }]) {
    totalCount nodes { ${fields} }
  }
}`;
// Distinct pages: sizes around the asked one, three regions, both directions.
const bodies = [0, 1, 2, 3].flatMap((extra) =>
  ['msk', 'spb', 'nsk'].flatMap((region) =>
    ['ASC', 'DESC'].map((direction) =>
      JSON.stringify({
        query: QUERY,
        variables: { first: Math.min(rows + extra, 10_000), region, direction },
      }),
    ),
  ),
);
let next = 0;

type Subject = Awaited<ReturnType<typeof gateway>>;

/** The gateway's CPU per request over `count` requests, CONNECTIONS at a time. */
async function batch(subject: Subject, count: number): Promise<number> {
  const before = subject.cpu();
  let sent = 0;
  const connection = async () => {
    while (sent < count) {
      sent += 1;
      const body = bodies[next++ % bodies.length] ?? '';
      const response = await subject.pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text.includes('"errors"')) throw new Error(text);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, connection));
  return (subject.cpu() - before) / count;
}

if (values.serve !== undefined) {
  await serve(Number(values.serve));
} else {
  const subjects = { bytes: await gateway('0'), objects: await gateway('Infinity') };
  // About a second of a gateway's work per batch: /proc counts CPU in 10 ms ticks.
  const perBatch = Math.max(8, Math.round(120_000 / (rows + 20)));
  const cpu: Record<keyof typeof subjects, number[]> = { bytes: [], objects: [] };
  for (let round = 0; round < rounds + 2; round += 1) {
    const order =
      round % 2 === 0 ? (['bytes', 'objects'] as const) : (['objects', 'bytes'] as const);
    for (const subject of order) {
      const micros = await batch(subjects[subject], perBatch);
      // The first two rounds warm both up.
      if (round >= 2) cpu[subject].push(micros);
    }
  }
  const [bytes, objects] = [median(cpu.bytes), median(cpu.objects)];
  console.log(
    `${String(rows)} rows × ${values.columns} columns, ${String(rounds)} rounds of ${String(perBatch)} requests each: ` +
      `gateway CPU µs per request (median) from bytes ${bytes.toFixed(0)}, from objects ${objects.toFixed(0)}, ` +
      `ratio ${(bytes / objects).toFixed(3)}`,
  );
  await Promise.all([subjects.bytes.pool.close(), subjects.objects.pool.close()]);
  subjects.bytes.stop();
  subjects.objects.stop();
}
