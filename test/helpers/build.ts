/**
 * Compiles src/ into a private directory for tests that run the built gateway
 * as `npm start` does. Not into dist/: other tests (the quick benchmark) build
 * there at the same time, and a process must never load a half-written file.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface PrivateBuild {
  /** Holds `dist/index.js`: the working directory to start the gateway from. */
  readonly root: string;
  remove(): Promise<void>;
}

export async function buildPrivately(): Promise<PrivateBuild> {
  // Inside the project's node_modules, so the build resolves the project's packages.
  const cache = join(process.cwd(), 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const root = await mkdtemp(join(cache, 'gateway-build-'));
  try {
    // Node stops looking for `"type": "module"` at node_modules: say it here.
    await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
    // Types are checked by `npm run typecheck`; here only the emit is needed.
    await execFileAsync(
      process.execPath,
      [
        join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        join(root, 'dist'),
        '--noCheck',
      ],
      { cwd: process.cwd() },
    );
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
