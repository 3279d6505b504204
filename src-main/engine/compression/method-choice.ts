import { methodRegistry, type HeadProfile, type MethodName } from "../../compresskv";

/** The method a session runs, and why it is not the one asked for, when it isn't. */
export interface MethodChoice {
  requested: MethodName;
  method: MethodName;
  fallbackReason?: string;
}

/** Without a calibrated profile, head-guided methods score with SnapKV over all heads. */
export const UNCALIBRATED_DEFAULT: MethodName = "snapkv";
/** Without the attention probe, only attention-free methods can run. */
export const NO_PROBE_DEFAULT: MethodName = "streaming-llm";

function infoOf(name: MethodName) {
  const info = methodRegistry.find((definition) => definition.name === name);
  if (!info) throw new Error(`unknown method ${name}`);
  return info;
}

/**
 * Picks the method that can run: a head-guided method needs a profile (else SnapKV), an attention
 * method needs the probe (else StreamingLLM). The reason is reported to the person, never hidden.
 */
export function chooseMethod(
  requested: MethodName,
  available: { profile?: HeadProfile; probe: { available: true } | { available: false; reason: string } },
): MethodChoice {
  let method = requested;
  const reasons: string[] = [];
  if (infoOf(method).needsProfile && !available.profile) {
    method = UNCALIBRATED_DEFAULT;
    reasons.push(
      `${infoOf(requested).label} needs a calibrated model; using ${infoOf(method).label} until it is calibrated`,
    );
  }
  if (infoOf(method).needsAttention && !available.probe.available) {
    const before = method;
    method = NO_PROBE_DEFAULT;
    reasons.push(
      `${infoOf(before).label} needs attention scores, but ${available.probe.reason}; using ${infoOf(method).label}`,
    );
  }
  return reasons.length ? { requested, method, fallbackReason: reasons.join(". ") } : { requested, method };
}
