import { BENCHED_MODES, type BenchedMode, type ReadingLengthMeasurement } from "./reading-bench";
import { markdownTable } from "./markdown-table";

const seconds = (ms: number | null) => (ms === null ? "n/a" : (ms / 1000).toFixed(2));
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a == null || b == null || b <= 0 ? "n/a" : `${(a / b).toFixed(1)}x`;

/**
 * Time to first token per mode and length, side by side, then the ratios the reservoir is for: question 2
 * against a re-read (and against the full cache and a question-agnostic reading), question 1 against a re-read.
 */
export function readingReport(measurements: readonly ReadingLengthMeasurement[]): string {
  const times = markdownTable(
    ["tokens", "mode", "read s", "question 1 s", "question 2 s", "cells after reading", "peak cells"],
    measurements.flatMap((m) =>
      m.modes.map((mode) => [
        String(m.tokens),
        mode.mode,
        seconds(mode.openMs),
        seconds(mode.firstQuestionMs),
        seconds(mode.secondQuestionMs),
        mode.readCells === null ? "n/a" : String(mode.readCells),
        mode.peakCells === null ? "n/a" : String(mode.peakCells),
      ]),
    ),
  );
  const of = (m: ReadingLengthMeasurement, mode: BenchedMode) => m.modes.find((entry) => entry.mode === mode);
  const ratios = markdownTable(
    [
      "tokens",
      "Q2: re-read / reservoir",
      "Q2: full / reservoir",
      "Q2: agnostic / reservoir",
      "Q1: reservoir / re-read",
    ],
    measurements.map((m) => {
      const reservoir = of(m, "reservoir");
      return [
        String(m.tokens),
        ratio(of(m, "question-aware")?.secondQuestionMs, reservoir?.secondQuestionMs),
        ratio(of(m, "full")?.secondQuestionMs, reservoir?.secondQuestionMs),
        ratio(of(m, "question-agnostic")?.secondQuestionMs, reservoir?.secondQuestionMs),
        ratio(reservoir?.firstQuestionMs, of(m, "question-aware")?.firstQuestionMs),
      ];
    }),
  );
  const skipped = measurements.flatMap((m) =>
    m.modes.filter((mode) => mode.skipped).map((mode) => `${m.tokens} tokens, ${mode.mode}: ${mode.skipped}`),
  );
  return [
    `Time to first token (question 1 includes reading the document; modes: ${BENCHED_MODES.join(", ")})`,
    times,
    "",
    "Ratios",
    ratios,
    ...(skipped.length ? ["", ...skipped.map((line) => `not run: ${line}`)] : []),
  ].join("\n");
}
