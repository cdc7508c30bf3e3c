import { describe, expect, it } from 'vitest';
import type { ReportFiles } from '../../../scripts/mutationThresholds.js';
import { failures, scores } from '../../../scripts/mutationThresholds.js';

type Status = 'Killed' | 'Timeout' | 'Survived' | 'NoCoverage' | 'Ignored' | 'CompileError';

/** A report file with mutants of the given statuses, one per line. */
function file(statuses: readonly Status[]): ReportFiles[string] {
  return {
    language: 'typescript',
    source: '',
    mutants: statuses.map((status, i) => ({
      id: String(i),
      mutatorName: 'EqualityOperator',
      status,
      location: { start: { line: i + 1, column: 3 }, end: { line: i + 1, column: 9 } },
    })),
  };
}

const times = (n: number, status: Status): Status[] => Array.from({ length: n }, () => status);

describe('mutation score thresholds', () => {
  it('pass a file exactly at 90 % and fail one just under, naming its undetected mutants', () => {
    const all = scores({
      'src/api/at.ts': file([...times(9, 'Killed'), 'Survived']),
      'src/api/under.ts': file([
        ...times(8, 'Killed'),
        'Timeout',
        'Killed',
        'NoCoverage',
        'Survived',
      ]),
    });
    expect(all.map((s) => [s.name, s.score])).toEqual([
      ['src/api/at.ts', 90],
      ['src/api/under.ts', (10 / 12) * 100],
      ['src/translate/', NaN],
    ]);
    expect(failures(all).map((s) => [s.name, s.undetected])).toEqual([
      [
        'src/api/under.ts',
        [
          'src/api/under.ts:11:3 EqualityOperator (NoCoverage)',
          'src/api/under.ts:12:3 EqualityOperator (Survived)',
        ],
      ],
    ]);
  });

  it('count timeouts as detected and leave ignored and compile errors out', () => {
    const [s] = scores({
      'src/api/a.ts': file(['Timeout', 'Killed', 'Ignored', 'CompileError', 'Ignored']),
    });
    expect(s?.score).toBe(100);
  });

  it('skip a file none of whose mutants count', () => {
    expect(failures(scores({ 'src/api/static.ts': file(['Ignored', 'Ignored']) }))).toEqual([]);
  });

  it('hold src/translate/ as a whole to 95 %, though each file passes 90 %', () => {
    const all = scores({
      'src/translate/a.ts': file([...times(19, 'Killed'), 'Survived']),
      'src/translate/b.ts': file([...times(9, 'Killed'), 'Survived']),
      'src/api/c.ts': file(times(50, 'Killed')),
    });
    expect(failures(all).map((s) => [s.name, s.score])).toEqual([
      ['src/translate/', (28 / 30) * 100],
    ]);
    const passing = scores({
      'src/translate/a.ts': file([...times(19, 'Killed'), 'Survived']),
      'src/translate/b.ts': file(times(20, 'Killed')),
    });
    expect(failures(passing)).toEqual([]);
    expect(passing.at(-1)).toMatchObject({ name: 'src/translate/', score: 97.5 });
  });
});
