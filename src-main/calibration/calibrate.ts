import { aggregateLayerErrors, HeadScoreAccumulator, type ModelShape } from "../compresskv";
import { promptFormatFor } from "../engine/prompt-format";
import type { LoadedModel } from "../engine/loaded-model";
import { AttentionProbe } from "../engine/probe";
import { headRankings, type CalibrationProfile } from "./calibration-profile";
import { defaultCalibrationSettings, probeGrid, type CalibrationSettings } from "./calibration-settings";
import { runNeedleProbe, throwIfCancelled } from "./needle-probe";
import { BUILT_IN_NEEDLES, type Needle } from "./needles";
import { ProbePromptBuilder } from "./probe-prompt";
import { modelFingerprint, saveProfile } from "./profile-store";

export interface CalibrationProgress {
  readonly probesDone: number;
  readonly probesTotal: number;
  readonly probesCounted: number;
  /** Prompt tokens of the probes done and of all of them: work grows with them, so they suit a time estimate. */
  readonly tokensDone: number;
  readonly tokensTotal: number;
  readonly elapsedMs: number;
  /** The probe just finished. */
  readonly last: {
    readonly length: number;
    readonly depth: number;
    readonly answer: string;
    readonly generated: string;
    readonly correct: boolean;
  };
}

export interface CalibrationOptions {
  /** The text the needles are hidden in: the bundled haystack, or the person's own document. */
  readonly haystack: { readonly text: string; readonly source: "built-in" | "document" };
  /** Overrides of the defaults (`defaultCalibrationSettings` for the model's trained context and backend). */
  readonly settings?: Partial<CalibrationSettings>;
  readonly needles?: readonly Needle[];
  /** Aborting stops at the next decode step with an AppError "cancelled"; nothing is returned or stored. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CalibrationProgress) => void;
}

/**
 * Calibrates a loaded model (DESIGN 1.1 and 1.2): needle probes over lengths x depths, each scoring every
 * head of every layer and measuring every layer's eviction error in the same decode. Needs the attention
 * probe (throws ProbeUnavailableError otherwise). The caller stores the result with `saveProfile`.
 */
export async function calibrateModel(loaded: LoadedModel, options: CalibrationOptions): Promise<CalibrationProfile> {
  const started = Date.now();
  const { model, shape: modelShape, info } = loaded;
  const settings: CalibrationSettings = {
    ...defaultCalibrationSettings(modelShape.trainContextSize, { gpu: model.llama.gpu !== false }),
    ...options.settings,
  };
  const shape: ModelShape = { nLayers: modelShape.layers, nHead: modelShape.heads, nHeadKv: modelShape.kvHeads };
  const format = promptFormatFor(loaded);
  const builder = new ProbePromptBuilder(model, format, info.promptStyle, options.haystack.text);
  const prompts = probeGrid(settings, options.needles ?? BUILT_IN_NEEDLES).map((spec) => builder.build(spec));
  const fingerprint = await modelFingerprint(loaded.path);
  throwIfCancelled(options.signal);

  const longest = Math.max(...prompts.map((prompt) => prompt.tokens.length));
  const context = await model.createContext({ contextSize: longest + settings.maxTokens + 1, flashAttention: false });
  const heads = new HeadScoreAccumulator(shape);
  const errorsByLength = settings.lengths.map((): Float64Array[][] => []);
  const byLength = settings.lengths.map((length) => ({ length, probes: 0, counted: 0 }));
  const tokensTotal = prompts.reduce((sum, prompt) => sum + prompt.tokens.length, 0);
  let tokensDone = 0;
  try {
    const target = { model, sequence: context.getSequence(), probe: AttentionProbe.attach(context), shape };
    for (const prompt of prompts) {
      const result = await runNeedleProbe(target, prompt, heads, {
        maxTokens: settings.maxTokens,
        errorBudget: settings.errorBudget,
        window: settings.window,
        stopTexts: format.stopTexts,
        signal: options.signal,
      });
      const { lengthIndex, length, depth, needle } = prompt.spec;
      errorsByLength[lengthIndex].push(result.layerErrors);
      byLength[lengthIndex].probes++;
      if (result.correct) byLength[lengthIndex].counted++;
      tokensDone += prompt.tokens.length;
      options.onProgress?.({
        probesDone: prompt.spec.index + 1,
        probesTotal: prompts.length,
        probesCounted: heads.countedProbes,
        tokensDone,
        tokensTotal,
        elapsedMs: Date.now() - started,
        last: { length, depth, answer: needle.answer, generated: result.generated, correct: result.correct },
      });
    }
  } finally {
    await context.dispose();
  }

  return {
    version: 1,
    model: {
      fileName: info.fileName,
      name: info.name,
      sizeBytes: info.sizeBytes,
      fingerprint,
      layers: shape.nLayers,
      heads: shape.nHead,
      kvHeads: shape.nHeadKv,
    },
    ...headRankings({
      shape,
      semanticScores: heads.semanticScores(),
      retrievalScores: heads.retrievalScores(),
      layerWeights: aggregateLayerErrors(errorsByLength, shape.nLayers),
    }),
    layerErrorDatasets: "lengths",
    probes: { run: prompts.length, counted: heads.countedProbes, byLength },
    settings,
    haystack: options.haystack.source,
    createdAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}

/** Calibrates and stores the profile under `<dataDir>/profiles/`; a cancelled or failed run stores nothing. */
export async function calibrateAndSave(
  dataDir: string,
  loaded: LoadedModel,
  options: CalibrationOptions,
): Promise<{ profile: CalibrationProfile; path: string }> {
  const profile = await calibrateModel(loaded, options);
  return { profile, path: await saveProfile(dataDir, profile) };
}
