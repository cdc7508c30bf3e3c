/**
 * Per-file mutation score thresholds. Stryker's own `thresholds.break` is one
 * score for the whole run, which a well-tested file can hide a weak one behind;
 * this reads its JSON report (mutation-testing-report-schema) and holds every
 * file, and src/translate/ as a whole, to its own bound. Scores are computed by
 * mutation-testing-metrics, the library Stryker's reporters use: killed and
 * timed-out mutants over those plus survivors and uncovered ones; ignored
 * (static), compile and runtime errors do not count.
 */
import { calculateMetrics } from 'mutation-testing-metrics';

export type ReportFiles = Parameters<typeof calculateMetrics>[0];

/** Lowest score, in percent, of every mutated file. */
export const FILE_THRESHOLD = 90;
/** Lowest score of the files under a directory, taken together. */
export const DIRECTORY_THRESHOLDS: Readonly<Record<string, number>> = { 'src/translate/': 95 };

export interface Score {
  readonly name: string;
  /** NaN when no mutant of the file counts (all ignored, or none made). */
  readonly score: number;
  readonly threshold: number;
  /** `file:line:column mutator` of each surviving or uncovered mutant. */
  readonly undetected: readonly string[];
}

function scoreOf(name: string, files: ReportFiles, threshold: number): Score {
  const undetected = Object.entries(files).flatMap(([file, result]) =>
    result.mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .map(
        (m) =>
          `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} (${m.status})`,
      ),
  );
  return { name, score: calculateMetrics(files).metrics.mutationScore, threshold, undetected };
}

/** Every file's score and every thresholded directory's, in report order. */
export function scores(files: ReportFiles): Score[] {
  const perFile = Object.entries(files).map(([name, result]) =>
    scoreOf(name, { [name]: result }, FILE_THRESHOLD),
  );
  const perDirectory = Object.entries(DIRECTORY_THRESHOLDS).map(([directory, threshold]) =>
    scoreOf(
      directory,
      Object.fromEntries(Object.entries(files).filter(([name]) => name.startsWith(directory))),
      threshold,
    ),
  );
  return [...perFile, ...perDirectory];
}

export function failures(all: readonly Score[]): Score[] {
  return all.filter((s) => !Number.isNaN(s.score) && s.score < s.threshold);
}
