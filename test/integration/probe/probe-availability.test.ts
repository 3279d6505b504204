import type { Llama, LlamaContext } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttentionProbe,
  contextProbeAvailability,
  probeAvailability,
  ProbeUnavailableError,
} from "../../../src-main/engine/probe";
import { loadProbeRuntime, loadTinyModel, type TinyModel } from "./probe-fixture";

describe("probe availability without the patched binary", () => {
  it("names the missing probe and how to build it", () => {
    const stock = { _bindings: {} } as unknown as Llama;
    const availability = probeAvailability(stock);
    expect(availability.available).toBe(false);
    expect(!availability.available && availability.reason).toMatch(/no CompressKV probe.*scripts\/setup\.mjs/);
  });

  it("names a binary built from other probe sources", () => {
    const stale = { _bindings: { compresskvProbeInfo: () => ({ abiVersion: 0 }) } } as unknown as Llama;
    const availability = probeAvailability(stale);
    expect(!availability.available && availability.reason).toMatch(/version 0, this code expects 2/);
  });

  it("serves plain and sliding-window memories and names a hybrid or recurrent one", () => {
    const contextWith = (memory: string) =>
      ({
        _ctx: {},
        model: {
          llama: {
            _bindings: {
              compresskvProbeInfo: (context?: object) =>
                context ? { abiVersion: 2, callbackInstalled: true, flashAttention: false, memory } : { abiVersion: 2 },
            },
          },
        },
      }) as unknown as LlamaContext;
    expect(contextProbeAvailability(contextWith("plain"))).toEqual({ available: true });
    expect(contextProbeAvailability(contextWith("sliding-window"))).toEqual({ available: true });
    const other = contextProbeAvailability(contextWith("other"));
    expect(!other.available && other.reason).toMatch(/hybrid or recurrent model/);
  });
});

const { llama, skipReason } = await loadProbeRuntime();

describe.skipIf(skipReason !== undefined)("probe availability per context", () => {
  let model: TinyModel;

  beforeAll(async () => {
    model = await loadTinyModel(llama as Llama, 17);
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it("is available with flash attention off", async () => {
    const context = await model.model.createContext({ contextSize: 256, flashAttention: false });
    expect(contextProbeAvailability(context)).toEqual({ available: true });
    await context.dispose();
  });

  it("reports flash attention as the reason and refuses to attach", async () => {
    const context = await model.model.createContext({ contextSize: 256, flashAttention: true });
    const availability = contextProbeAvailability(context);
    expect(!availability.available && availability.reason).toMatch(/flash attention/);
    expect(() => AttentionProbe.attach(context)).toThrow(ProbeUnavailableError);
    await context.dispose();
  });
});
