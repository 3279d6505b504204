import { describe, expect, it } from "vitest";
import type { ModeMeasurement, ReadingLengthMeasurement } from "../../../bench/engine/reading-bench";
import { readingReport } from "../../../bench/engine/reading-report";

const mode = (
  name: ModeMeasurement["mode"],
  openMs: number | null,
  firstQuestionMs: number | null,
  secondQuestionMs: number | null,
): ModeMeasurement => ({
  mode: name,
  openMs,
  firstQuestionMs,
  secondQuestionMs,
  readCells: openMs === null ? null : 100,
  peakCells: openMs === null ? null : 200,
  answers: openMs === null ? null : ["a", "b"],
  ...(openMs === null ? { skipped: "too long for the model's context" } : {}),
});

const measurements: ReadingLengthMeasurement[] = [
  {
    tokens: 4096,
    modes: [
      mode("full", 8000, 8100, 200),
      mode("question-aware", 1, 9000, 9000),
      mode("question-agnostic", 8500, 8600, 150),
      mode("reservoir", 8800, 9200, 300),
    ],
  },
  {
    tokens: 16384,
    modes: [
      mode("full", null, null, null),
      mode("question-aware", 1, 36000, 36000),
      mode("question-agnostic", 34000, 34100, 150),
      mode("reservoir", 35000, 35400, 400),
    ],
  },
];

describe("the reading benchmark's report", () => {
  it("prints each mode's times, then question 2's ratios to the reservoir and question 1's to the re-read", () => {
    const report = readingReport(measurements);
    expect(report).toContain("|   4096 |              full |   8.00 |         8.10 |         0.20 |");
    expect(report).toContain("|  16384 |              full |    n/a |          n/a |          n/a |");
    const ratios = report.split("Ratios\n")[1].split("\n");
    expect(ratios[2]).toBe(
      "|   4096 |                   30.0x |                 0.7x |                     0.5x |                    1.0x |",
    );
    expect(ratios[3]).toBe(
      "|  16384 |                   90.0x |                  n/a |                     0.4x |                    1.0x |",
    );
    expect(report).toContain("not run: 16384 tokens, full: too long for the model's context");
  });
});
