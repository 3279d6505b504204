import { describe, expect, it } from "vitest";
import { makeManifest, manifestMismatch } from "../../../src-main/evaluation/run-manifest";
import type { EvalItem } from "../../../src-main/evaluation/eval-item";
import type { Condition } from "../../../src-main/evaluation/conditions";

const items: EvalItem[] = [
  { id: "a", context: "doc", question: "q?", answers: ["x"], metric: "f1", maxTokens: 8, stop: [] },
];
const conditions: Condition[] = [{ method: "snapkv", budget: { cells: 64 }, questionAware: true }];
const model = { fileName: "m.gguf", sizeBytes: 1 };

describe("run manifest", () => {
  it("records the method settings that differ from the defaults, and resuming with others is refused", () => {
    const plain = makeManifest(model, "needle", items, conditions, 1024);
    const tuned = makeManifest(model, "needle", items, conditions, 1024, { headsPerLayer: 8 });
    expect(plain.tuning).toBeUndefined();
    expect(tuned.tuning).toEqual({ headsPerLayer: 8 });
    expect(manifestMismatch(plain, makeManifest(model, "needle", items, conditions, 1024))).toBeNull();
    expect(manifestMismatch(plain, tuned)).toBe("its method settings were {}");
    expect(manifestMismatch(tuned, plain)).toBe('its method settings were {"headsPerLayer":8}');
  });
});
