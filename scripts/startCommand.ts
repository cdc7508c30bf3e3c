/**
 * How a deployment runs the gateway: the node flags of package.json's `start`
 * script (the Dockerfile's CMD is the same command) and the image's
 * `NODE_OPTIONS` (the heap cap for the documented container memory limit), so
 * the benchmark, the load test and the shutdown test run the process exactly
 * as a deployment does. test/unit/scripts/startCommand.test.ts and
 * test/deploy/manifests.test.ts hold the Dockerfile and deploy/ to them.
 */
import { readFileSync } from 'node:fs';

const ENTRY = 'dist/index.js';

/** `node <flags…> dist/index.js` → the flags; anything else is refused. */
export function nodeFlagsOf(startScript: string): string[] {
  const [command, ...rest] = startScript.trim().split(/\s+/);
  if (command !== 'node' || rest.at(-1) !== ENTRY) {
    throw new Error(`the start script must be "node [flags] ${ENTRY}", got "${startScript}"`);
  }
  return rest.slice(0, -1);
}

export function startScript(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { scripts?: Record<string, string> };
  const script = manifest.scripts?.start;
  if (script === undefined) throw new Error('package.json has no start script');
  return script;
}

/** Flags of `npm start`, e.g. `--max-semi-space-size=32`. */
export const startNodeFlags = (): string[] => nodeFlagsOf(startScript());

/** `ENV NODE_OPTIONS=…` of a Dockerfile (the first `ENV` line setting it); undefined when absent. */
export function nodeOptionsOf(dockerfile: string): string | undefined {
  const match = /^ENV\s+NODE_OPTIONS=("([^"]*)"|(\S+))/m.exec(dockerfile);
  return match ? (match[2] ?? match[3]) : undefined;
}

/** The image's NODE_OPTIONS, e.g. `--max-old-space-size=256`. */
export const imageNodeOptions = (): string | undefined =>
  nodeOptionsOf(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'));
