import { requireCapture, type KvPressMethod, type MethodContext } from "../method";
import { DEFAULT_HEADS_PER_LAYER, type HeadProfile } from "../types";
import { windowScores } from "../window-scores";

type Behaviour = Pick<KvPressMethod, "capturedHeads" | "score">;

/** Window scoring restricted to the first k heads of each layer's ranked list in the profile. */
export function headGuidedScoring(
  context: MethodContext,
  rankedHeads: (profile: HeadProfile) => readonly (readonly number[])[],
): Behaviour {
  const ranked = rankedHeads(requireProfile(context));
  if (ranked.length !== context.shape.nLayers)
    throw new RangeError(`the head profile has ${ranked.length} layers, the model ${context.shape.nLayers}`);
  const k = context.headsPerLayer ?? DEFAULT_HEADS_PER_LAYER;
  const heads = ranked.map((layerHeads) => layerHeads.slice(0, k));
  return {
    capturedHeads: (layer) => heads[layer],
    score: (layer, request, capture) =>
      windowScores(requireCapture(capture, layer), request.window, request.pooling, heads[layer]),
  };
}

export function requireProfile(context: MethodContext): HeadProfile {
  if (context.profile === undefined) throw new Error("this method needs a calibrated head profile");
  return context.profile;
}
