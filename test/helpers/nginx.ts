/**
 * Debian's nginx as a load balancer on loopback, for the multi-replica test:
 * its whole configuration and every path it writes live in a temporary
 * directory, so it runs as any user, next to a system nginx or none.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './redis.js';

/** On PATH, or where Debian puts it (/usr/sbin is not on every user's PATH). */
export function findNginx(): string | undefined {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    if (spawnSync(candidate, ['-v']).status === 0) return candidate;
  }
  return undefined;
}

export interface NginxOptions {
  /** Loopback ports of the replicas, in the upstream block's order. */
  readonly upstreamPorts: readonly number[];
  /** Server parameters of each upstream line, e.g. `max_fails=1 fail_timeout=2s`. */
  readonly serverParameters: string;
  /** Absolute path of a file with the `proxy_*` directives, included in `location /`. */
  readonly proxyConf: string;
}

export interface RunningNginx {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Access log lines so far: `<status> <upstream addresses tried> <upstream statuses>`. */
  accessLog(): Promise<string[]>;
  stderr(): string;
  stop(): Promise<void>;
}

function configuration(dir: string, port: number, options: NginxOptions): string {
  const servers = options.upstreamPorts
    .map((p) => `    server 127.0.0.1:${p} ${options.serverParameters};`)
    .join('\n');
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  log_format replicas '$status $upstream_addr $upstream_status';
  access_log ${dir}/access.log replicas;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream gateway {
${servers}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://gateway;
      include ${options.proxyConf};
    }
  }
}
`;
}

async function listening(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const connected = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        resolve(false);
      });
    });
    if (connected) return;
    if (performance.now() > deadline) throw new Error(`nginx not listening within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Starts nginx in the foreground on a free loopback port. */
export async function startNginx(binary: string, options: NginxOptions): Promise<RunningNginx> {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-nginx-'));
  // When the test runs as root, nginx's workers run as `nobody`: they must reach the temp paths.
  await chmod(dir, 0o755);
  const port = await freePort();
  const file = join(dir, 'nginx.conf');
  await writeFile(file, configuration(dir, port, options));
  // -e: the error log before the configuration is read (the default path may not be writable).
  const child = spawn(binary, ['-e', 'stderr', '-p', dir, '-c', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  try {
    await listening(port, child, 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    async accessLog() {
      const log = await readFile(join(dir, 'access.log'), 'utf8').catch(() => '');
      return log.split('\n').filter(Boolean);
    },
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        // SIGTERM: nginx's fast shutdown.
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
