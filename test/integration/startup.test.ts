import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

/** Starts `src/index.ts` the way `npm start` runs its build, with extra environment. */
function startGateway(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, lines, stderr: () => stderr };
}

describe('npm start', () => {
  it('serves real answers on the embedded emulator with no configuration, and says so first', async () => {
    const gateway = startGateway({});
    try {
      const ready = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const line = gateway.lines.find((l) => l.includes('ready at'));
          if (line) {
            clearInterval(timer);
            resolve(line);
          }
        }, 50);
        gateway.child.once('exit', (code) => {
          clearInterval(timer);
          reject(new Error(`exited with ${String(code)}: ${gateway.stderr()}`));
        });
      });
      expect(gateway.lines[0]).toMatch(/emulator/);
      const { port } = JSON.parse(ready) as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ availableNumbers(first: 2) { totalCount nodes { phoneNumber } } }',
        }),
      });
      const body = (await response.json()) as {
        data: { availableNumbers: { totalCount: number; nodes: unknown[] } };
      };
      expect(body.data.availableNumbers.nodes).toHaveLength(2);
      expect(body.data.availableNumbers.totalCount).toBeGreaterThan(1000);

      const graphiql = await fetch(`http://127.0.0.1:${port}/graphql`, {
        headers: { accept: 'text/html' },
      });
      expect(await graphiql.text()).toContain('GraphiQL');
    } finally {
      gateway.child.kill('SIGTERM');
      const [code] = (await once(gateway.child, 'exit')) as [number | null];
      expect(code).toBe(0);
    }
  });

  it('stops with a message naming a bad variable', async () => {
    const gateway = startGateway({ PAGE_SIZE_MAX: '50000' });
    const [code] = (await once(gateway.child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(gateway.stderr()).toMatch(/PAGE_SIZE_MAX/);
  });
});
