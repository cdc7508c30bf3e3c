/**
 * The node flags `npm start` runs the gateway with, read from package.json's
 * `start` script, so the benchmark, the load test and the shutdown test run
 * the process exactly as a deployment does (the Dockerfile's CMD is checked
 * against the same script by test/unit/startCommand.test.ts).
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
