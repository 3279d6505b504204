import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { bundledProfilesDataDir, findProfile } from "../../src-main/calibration";
import { realModel } from "./real/real-model-fixture";

const MODEL = resolve("resources/models/compresskv-retrieval-demo.gguf");

describe("the calibration shipped with the demo model", () => {
  // A changed model file needs a new profile: npm run cli -- calibrate --model <it> --data-dir resources/calibration
  it("belongs to the committed model file and names its retrieval heads first", async () => {
    const profile = await findProfile([bundledProfilesDataDir(resolve("resources"))], MODEL);
    expect(profile, "no shipped profile matches the committed demo model").toBeDefined();
    expect(profile!.semanticHeads[2][0]).toBe(0);
    expect(profile!.semanticHeads[3][0]).toBe(4);
    expect(profile!.probes.counted).toBe(profile!.probes.run);
  });
});

const smolLm2 = realModel("smollm2-135m-instruct");

describe.skipIf("missing" in smolLm2)("the calibration shipped for SmolLM2 135M Instruct", () => {
  // Made by: npm run cli -- calibrate --model .cache/models/SmolLM2-135M-Instruct.Q4_1.gguf
  //   --haystack /usr/share/R/doc/manual/R-intro.pdf --data-dir <dir>, then copied into resources/calibration/profiles.
  it("belongs to the fetched model file (its SHA-256 checked at fetch) and was made on real prose", async () => {
    const profile = await findProfile(
      [bundledProfilesDataDir(resolve("resources"))],
      (smolLm2 as { path: string }).path,
    );
    expect(profile, "no shipped profile matches SmolLM2-135M-Instruct.Q4_1.gguf").toBeDefined();
    expect(profile!.model).toMatchObject({
      fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
      layers: 30,
      heads: 9,
      kvHeads: 3,
    });
    expect(profile!.haystack).toBe("document");
    expect(profile!.semanticHeads).toHaveLength(30);
    // Every length kept enough answered probes for a ranking (the model misses some at 1,536 and 2,048).
    for (const length of profile!.probes.byLength)
      expect(length.counted, `${length.length} tokens`).toBeGreaterThanOrEqual(7);
  });
});

const gemma = realModel("gemma-3-270m");

describe.skipIf("missing" in gemma)("the calibration shipped for Gemma 3 270M", () => {
  // Made by: npm run cli -- calibrate --model .cache/models/gemma-3-270m-q4_k_m.gguf
  //   --haystack /usr/share/R/doc/manual/R-intro.pdf --data-dir <dir>, then copied into resources/calibration/profiles.
  it("belongs to the fetched model file; the strongest semantic heads are in global layers", async () => {
    const profile = await findProfile([bundledProfilesDataDir(resolve("resources"))], (gemma as { path: string }).path);
    expect(profile, "no shipped profile matches gemma-3-270m-q4_k_m.gguf").toBeDefined();
    expect(profile!.model).toMatchObject({ fileName: "gemma-3-270m-q4_k_m.gguf", layers: 18, heads: 4, kvHeads: 1 });
    expect(profile!.haystack).toBe("document");
    expect(profile!.probes.byLength.map((length) => length.counted)).toEqual([10, 10, 10, 10]);
    // Window layers see a needle only when it lies in their last 512 tokens; the two layers with the
    // strongest heads (2.9 and 2.2, against 0.8 at most in a window layer) are global ones.
    const best = profile!.semanticScores.map((scores) => Math.max(...scores));
    const strongest = [...best.keys()].sort((a, b) => best[b] - best[a]).slice(0, 2);
    expect(strongest.sort((a, b) => a - b)).toEqual([5, 11]);
  });
});
