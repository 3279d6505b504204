import type { LengthMeasurement } from "./engine-bench";
import { markdownTable as table } from "./markdown-table";

const MiB = 1024 ** 2;
const rate = (tokens: number, ms: number) => (1000 * tokens) / ms;
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const ratio = (value: number) => `${value.toFixed(2)}x`;

/** The measurements as three markdown tables, each comparison also as a ratio. */
export function benchReport(measurements: readonly LengthMeasurement[]): string {
  const prefill = table(
    [
      "tokens",
      "flash on tok/s",
      "flash off tok/s",
      "off / on time",
      "off + capture tok/s",
      "capture overhead",
      "selection ms",
    ],
    measurements.map((m) => [
      String(m.tokens),
      fixed(rate(m.tokens, m.prefill.flashOnMs), 0),
      fixed(rate(m.tokens, m.prefill.flashOffMs), 0),
      ratio(m.prefill.flashOffMs / m.prefill.flashOnMs),
      fixed(rate(m.tokens, m.prefill.flashOffCaptureMs), 0),
      ratio(m.prefill.flashOffCaptureMs / m.prefill.flashOffMs),
      fixed(m.selectionMs),
    ]),
  );
  const removal = table(
    [
      "tokens",
      "budget",
      "keep-positions ms",
      "+ first step ms",
      "compacting ms",
      "+ first step (re-rotation) ms",
      "compacting / keep",
    ],
    measurements.map((m) => {
      const keep = m.removal.keepPositionsMs + m.removal.keepPositionsFirstStepMs;
      const compact = m.removal.compactingMs + m.removal.compactingFirstStepMs;
      return [
        String(m.tokens),
        String(m.budget),
        fixed(m.removal.keepPositionsMs, 2),
        fixed(m.removal.keepPositionsFirstStepMs),
        fixed(m.removal.compactingMs, 2),
        fixed(m.removal.compactingFirstStepMs),
        ratio(compact / keep),
      ];
    }),
  );
  const decode = table(
    [
      "tokens",
      "full tok/s (flash on)",
      "full tok/s",
      "kept positions (probe on) tok/s",
      "compacted tok/s",
      "session tok/s",
      "session / full",
      "peak RSS full MiB",
      "peak RSS session MiB",
      "KV full MiB",
      "KV kept MiB",
      "KV full / kept",
    ],
    measurements.map((m) => [
      String(m.tokens),
      fixed(m.decode.fullFlashOn),
      fixed(m.decode.fullFlashOff),
      fixed(m.decode.compressedKeepPositions),
      fixed(m.decode.compressedCompacting),
      fixed(m.decode.compressedSession),
      ratio(m.decode.compressedSession / m.decode.fullFlashOff),
      fixed(m.peakRssBytes.fullFlashOff / MiB, 0),
      fixed(m.peakRssBytes.compressedSession / MiB, 0),
      fixed(m.kvBytes.full / MiB),
      fixed(m.kvBytes.compressed / MiB),
      ratio(m.kvBytes.full / m.kvBytes.compressed),
    ]),
  );
  return [`Prefill`, prefill, ``, `Removal (to the budget)`, removal, ``, `Decoding and memory`, decode].join("\n");
}
