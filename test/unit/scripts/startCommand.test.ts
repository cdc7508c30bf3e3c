import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  imageNodeOptions,
  nodeFlagsOf,
  nodeOptionsOf,
  startNodeFlags,
  startScript,
} from '../../../scripts/startCommand.js';

describe('the start command', () => {
  it('reads the node flags of `npm start`', () => {
    expect(nodeFlagsOf('node dist/index.js')).toEqual([]);
    expect(nodeFlagsOf('node --max-semi-space-size=32 --trace-gc dist/index.js')).toEqual([
      '--max-semi-space-size=32',
      '--trace-gc',
    ]);
    expect(startNodeFlags()).toContain('--max-semi-space-size=32');
    // npm start bounds memory itself, as the image does (issue 24): not only under Docker.
    expect(startNodeFlags()).toContain('--max-old-space-size=256');
  });

  it('refuses a start script that is not node running dist/index.js', () => {
    expect(() => nodeFlagsOf('tsx src/index.ts')).toThrow(/start script must be/);
    expect(() => nodeFlagsOf('node dist/other.js')).toThrow(/start script must be/);
  });

  it('is the Dockerfile CMD too', () => {
    const dockerfile = readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd ?? '[]')).toEqual(startScript().trim().split(/\s+/));
  });

  it("reads the image's NODE_OPTIONS from its Dockerfile", () => {
    expect(nodeOptionsOf('FROM node\nENV NODE_OPTIONS=--max-old-space-size=256\n')).toBe(
      '--max-old-space-size=256',
    );
    expect(nodeOptionsOf('ENV NODE_OPTIONS="--a --b"\nENV NODE_OPTIONS=--c')).toBe('--a --b');
    expect(nodeOptionsOf('ENV NODE_ENV=production\n')).toBeUndefined();
    // The cap is the image's command: a NODE_OPTIONS beside it would be overridden.
    expect(imageNodeOptions()).toBeUndefined();
  });
});
