import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { bundledProfilesDataDir, findProfile } from "../../src-main/calibration";

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
