import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A "Redis" on loopback that either hangs (accepts connections, reads every
 * byte, never answers: what `kill -STOP` on a real Redis looks like to a
 * client) or answers the few commands the gateway sends (PING, INFO, GET,
 * SET, CLIENT) from a map in memory. Switching to `answer` answers what was
 * received while hung, as a resumed Redis would.
 */
export interface FakeRedis {
  readonly url: string;
  /** Commands received so far (names in upper case), answered or not. */
  readonly received: string[];
  hang(): void;
  answer(): void;
  close(): Promise<void>;
}

/** The RESP arrays of bulk strings complete in `buffer`, and the bytes left over. */
function parseCommands(buffer: Buffer): { commands: string[][]; rest: Buffer } {
  const commands: string[][] = [];
  let at = 0;
  for (;;) {
    const parsed = parseOne(buffer, at);
    if (!parsed) break;
    commands.push(parsed.args);
    at = parsed.end;
  }
  return { commands, rest: buffer.subarray(at) };
}

function parseOne(buffer: Buffer, start: number): { args: string[]; end: number } | undefined {
  const line = (from: number) => {
    const end = buffer.indexOf('\r\n', from);
    return end < 0 ? undefined : { text: buffer.toString('latin1', from, end), next: end + 2 };
  };
  const header = line(start);
  if (!header?.text.startsWith('*')) return undefined;
  const count = Number(header.text.slice(1));
  const args: string[] = [];
  let at = header.next;
  for (let i = 0; i < count; i++) {
    const size = line(at);
    if (!size?.text.startsWith('$')) return undefined;
    const length = Number(size.text.slice(1));
    if (buffer.length < size.next + length + 2) return undefined;
    args.push(buffer.toString('utf8', size.next, size.next + length));
    at = size.next + length + 2;
  }
  return { args, end: at };
}

const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

export async function startFakeRedis(mode: 'hang' | 'answer'): Promise<FakeRedis> {
  let hanging = mode === 'hang';
  const values = new Map<string, string>();
  const received: string[] = [];
  /** Per connection: bytes not yet a whole command, and commands not yet answered. */
  const connections = new Map<Socket, { unparsed: Buffer; unanswered: string[][] }>();

  const reply = (args: string[]): string => {
    const [name = '', key = '', value = ''] = args;
    switch (name.toUpperCase()) {
      case 'PING':
        return '+PONG\r\n';
      case 'INFO':
        return bulk('# Server\r\nredis_version:7.0.0\r\n');
      case 'GET': {
        const stored = values.get(key);
        return stored === undefined ? '$-1\r\n' : bulk(stored);
      }
      case 'SET':
        values.set(key, value);
        return '+OK\r\n';
      default:
        return '+OK\r\n';
    }
  };
  const serve = (socket: Socket) => {
    const connection = connections.get(socket);
    if (!connection || connection.unanswered.length === 0) return;
    const replies = connection.unanswered.map(reply).join('');
    connection.unanswered = [];
    if (socket.writable) socket.write(replies);
  };

  const server = createServer((socket) => {
    const connection: { unparsed: Buffer; unanswered: string[][] } = {
      unparsed: Buffer.alloc(0),
      unanswered: [],
    };
    connections.set(socket, connection);
    socket.on('data', (chunk: Buffer) => {
      const { commands, rest } = parseCommands(Buffer.concat([connection.unparsed, chunk]));
      connection.unparsed = rest;
      connection.unanswered.push(...commands);
      received.push(...commands.map((c) => (c[0] ?? '').toUpperCase()));
      if (!hanging) serve(socket);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => connections.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `redis://127.0.0.1:${port}`,
    received,
    hang() {
      hanging = true;
    },
    answer() {
      hanging = false;
      for (const socket of connections.keys()) serve(socket);
    },
    async close() {
      for (const socket of connections.keys()) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
