/**
 * Monaco's editor workers as one script: each label runs its own bundle and
 * nothing else, an unknown label fails with its name, and the build's
 * minified script is served only for the sources it was made from.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { minifyWorkers } from '../../../scripts/buildGraphiQL.js';
import { workerSources } from '../../../src/http/graphiqlAssets.js';
import {
  combineWorkers,
  minifiedWorkersFile,
  sha256,
  workersScript,
} from '../../../src/http/graphiqlWorkers.js';

/** Runs `script` as the worker named `name`; what the bundles recorded. */
function runAs(script: string, name: string): string[] {
  const ran: string[] = [];
  runInNewContext(script, { self: { name }, ran });
  return ran;
}

const fakes = {
  editorWorkerService: '(() => { ran.push("editor"); })();',
  json: 'var local = "json"; ran.push(local); // a trailing line comment',
  graphql: '(() => {\n  ran.push("graphql");\n})();\n/* a trailing block comment */',
};

describe('the combined editor workers script', () => {
  const script = combineWorkers(fakes);

  it('runs only the bundle of the label Monaco started the worker with', () => {
    expect(runAs(script, 'editorWorkerService')).toEqual(['editor']);
    expect(runAs(script, 'json')).toEqual(['json']);
    expect(runAs(script, 'graphql')).toEqual(['graphql']);
  });

  it('fails a worker whose label it does not have, naming the label and those it has', () => {
    expect(() => runAs(script, 'typescript')).toThrow(
      'No Monaco worker "typescript": this script has editorWorkerService, json, graphql',
    );
    // Names that every object has are not labels.
    expect(() => runAs(script, 'toString')).toThrow('No Monaco worker "toString"');
  });

  it("holds GraphiQL's three bundles, and parses", () => {
    const real = combineWorkers(workerSources());
    for (const source of Object.values(workerSources())) expect(real).toContain(source);
    expect(() => runAs(real, 'none')).toThrow('No Monaco worker "none"');
  });
});

describe("the build's minified script", () => {
  const dir = mkdtempSync(join(tmpdir(), 'graphiql-workers-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is served for exactly the sources it was minified from', () => {
    const combined = combineWorkers(fakes);
    expect(workersScript(combined, dir)).toBe(combined);
    writeFileSync(minifiedWorkersFile(dir, sha256(combined)), 'minified');
    expect(workersScript(combined, dir)).toBe('minified');
    const other = combineWorkers({ ...fakes, json: 'ran.push("changed")' });
    expect(workersScript(other, dir)).toBe(other);
  });

  it("is GraphiQL's workers minified one by one, still dispatching, made once", async () => {
    const written = await minifyWorkers(dir);
    const combined = combineWorkers(workerSources());
    const minified = workersScript(combined, dir);

    expect(written).toBe(minified.length);
    expect(minified.length).toBeLessThan(combined.length);
    expect(() => runAs(minified, 'none')).toThrow('No Monaco worker "none"');
    expect(await minifyWorkers(dir)).toBeUndefined();
  }, 60_000);
});
