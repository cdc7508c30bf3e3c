/** The pass-through proxy in its own process, so its CPU is measured like the gateway's. */
import type { AddressInfo } from 'node:net';
import { sendToParent } from '../ipc.js';
import { createProxyServer } from './server.js';

const HOST = '127.0.0.1';
const target = process.argv[2];
if (target === undefined) throw new Error('usage: proxy/main.ts <upstream url>');

const server = createProxyServer(target);
await new Promise<void>((resolve) => {
  server.listen(0, HOST, resolve);
});
const { port } = server.address() as AddressInfo;
process.on('disconnect', () => process.exit(0));
sendToParent({ type: 'ready', url: `http://${HOST}:${port}/v2.0` });
