/**
 * The floor any Node gateway pays: a pass-through that forwards each request
 * body unchanged to the upstream over keep-alive connections and streams the
 * reply back. No parsing, no buffering.
 */
import { Agent, createServer, request } from 'node:http';
import type { Server } from 'node:http';

export function createProxyServer(target: string): Server {
  const agent = new Agent({ keepAlive: true });
  const url = new URL(target);
  return createServer((req, res) => {
    const headers: Record<string, string> = {};
    const type = req.headers['content-type'];
    const length = req.headers['content-length'];
    if (type !== undefined) headers['content-type'] = type;
    if (length !== undefined) headers['content-length'] = length;

    const upstream = request(url, { method: 'POST', agent, headers }, (reply) => {
      const out: Record<string, string> = {};
      const replyType = reply.headers['content-type'];
      const replyLength = reply.headers['content-length'];
      if (replyType !== undefined) out['content-type'] = replyType;
      if (replyLength !== undefined) out['content-length'] = replyLength;
      res.writeHead(reply.statusCode ?? 502, out);
      reply.pipe(res);
    });
    upstream.on('error', () => {
      // Counted by the load tool as a non-2xx or a connection error, never hidden.
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
}
