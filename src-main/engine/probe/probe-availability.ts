import type { Llama, LlamaContext } from "node-llama-cpp";
import { nativeContextOf, nativeProbeBindings, PROBE_ABI_VERSION, type NativeProbeBindings } from "./native-probe";

export type ProbeAvailability = { readonly available: true } | { readonly available: false; readonly reason: string };

const SETUP_HINT = "run `node scripts/setup.mjs` (it builds node-llama-cpp with the probe)";

/** Thrown when attention capture or masking is asked of a runtime or context that can't provide it. */
export class ProbeUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`attention probe unavailable: ${reason}`);
    this.name = "ProbeUnavailableError";
  }
}

/** Whether the loaded llama.cpp binary carries our probe, and why not. */
export function probeAvailability(llama: Llama): ProbeAvailability {
  const bindings = nativeProbeBindings(llama);
  if (typeof bindings.compresskvProbeInfo !== "function") {
    return {
      available: false,
      reason: `the loaded llama.cpp binary has no CompressKV probe (a prebuilt or unpatched build); ${SETUP_HINT}`,
    };
  }
  const { abiVersion } = bindings.compresskvProbeInfo();
  if (abiVersion !== PROBE_ABI_VERSION) {
    return {
      available: false,
      reason: `the probe in the loaded binary speaks version ${abiVersion}, this code expects ${PROBE_ABI_VERSION}; ${SETUP_HINT}`,
    };
  }
  return { available: true };
}

/**
 * Whether this context supports capture and masking: the binary has the probe, flash attention is off
 * (otherwise no attention probabilities exist), and the model's memory is a plain KV cache or a
 * sliding-window pair of them (Gemma 3); hybrid and recurrent memories are not served.
 */
export function contextProbeAvailability(context: LlamaContext): ProbeAvailability {
  const runtime = probeAvailability(context.model.llama);
  if (!runtime.available) return runtime;
  const info = (nativeProbeBindings(context.model.llama) as NativeProbeBindings).compresskvProbeInfo(
    nativeContextOf(context),
  );
  if (!info.callbackInstalled)
    return { available: false, reason: "the context was created without the probe callback" };
  if (info.flashAttention) {
    return { available: false, reason: "the context runs flash attention; create it with `flashAttention: false`" };
  }
  if (info.memory !== "plain" && info.memory !== "sliding-window") {
    return {
      available: false,
      reason:
        "the model's memory is neither a KV cache nor a sliding-window pair of them (a hybrid or recurrent model)",
    };
  }
  return { available: true };
}
