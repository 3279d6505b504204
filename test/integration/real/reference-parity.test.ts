import { describe, expect, it } from "vitest";
import { PARITY_MODELS, runParity } from "../../../scripts/parity/run-parity";
import { referencePython } from "../../../scripts/parity/reference-python";
import { realModel, rIntroMissing } from "./real-model-fixture";

/**
 * The app's attention on real models against reference/ (numpy + llama.cpp's gguf reader, no code
 * shared with the app): one R-intro prompt of 1,024 tokens per model (past Gemma 3's 512-token
 * window), the weights dequantised to F32 and an F32 cache, every layer and head of the last 8
 * query rows within 1e-3, and a masked layer equal to the reference with those cells removed; the
 * next-token probabilities within 2e-3.
 * `npm run parity` prints the figures for 3 prompts x 512-2,048 tokens.
 */
const TOLERANCE = 1e-3;
/** reference/parity.py's default for next-token probabilities (the whole model's rounding). */
const NEXT_TOKEN_TOLERANCE = 2e-3;
const inCi = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());

function pythonMissing(): string | undefined {
  const found = referencePython();
  if (!("missing" in found)) return undefined;
  if (inCi) throw new Error(`CI needs the reference's Python packages: ${found.missing}`);
  return found.missing;
}

const python = pythonMissing() ?? rIntroMissing();

for (const model of PARITY_MODELS.filter((candidate) => !candidate.onRequest)) {
  const file = realModel(model.id);
  const skip = "missing" in file ? file.missing : python;
  describe.skipIf(skip)(`${model.id}: attention equals the independent reference`, () => {
    it("matches every layer and head, masked and not, within 1e-3", { timeout: 600_000 }, async () => {
      const found = referencePython() as { python: string };
      const result = await runParity({
        python: found.python,
        model,
        prompts: [0],
        lengths: [1024],
        weights: "F32",
        kvCache: "F32",
        tolerance: TOLERANCE,
        outDir: "test-output/parity",
        echo: false,
      });
      expect(result.output).not.toMatch(/FAIL/);
      expect(result.figures.map((figure) => figure.masked)).toEqual([false, true]);
      for (const figure of result.figures) {
        for (const difference of Object.values(figure.maxAbsDifference)) expect(difference).toBeLessThan(TOLERANCE);
        expect(figure.nextTokenDifference).toBeLessThan(NEXT_TOKEN_TOLERANCE);
      }
      // The mask moved later layers well past the tolerance, so their agreement says something.
      expect(result.figures[1].maskEffectDownstream).toBeGreaterThan(10 * TOLERANCE);
      expect(result.passed).toBe(true);
    });
  });
}
