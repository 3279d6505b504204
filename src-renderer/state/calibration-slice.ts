import type { AppErrorInfo } from "../../src-main/api/app-error";
import type { EngineEvent, ModelProfileSummary } from "../../src-main/api/contract";
import type { SliceCreator } from "./app-store";
import { loaded, trackLoadable, type Loadable } from "./loadable";
import { withoutKey } from "./records";

export type CalibrationProgress = Extract<EngineEvent, { type: "calibration-progress" }>;

/** A calibration started from this window, until it ends. */
export interface CalibrationRun {
  requestId: string;
  modelId: string;
  progress: CalibrationProgress | null;
}

export type CalibrationEvent = Extract<
  EngineEvent,
  { type: "calibration-progress" | "calibration-done" | "request-failed" }
>;

export interface CalibrationSlice {
  /** Per model, its stored calibration (null: not calibrated yet). */
  profiles: Record<string, Loadable<ModelProfileSummary | null>>;
  calibrations: Record<string, CalibrationRun>;
  /** Models whose calibrateModel() call has not replied yet. */
  startingCalibration: Record<string, true>;
  /** How the last calibration of each model ended, when it did not succeed. */
  calibrationEnds: Record<string, AppErrorInfo>;
  loadProfile(modelId: string): Promise<void>;
  calibrate(modelId: string, useDocumentId?: string): Promise<void>;
  receiveCalibrationEvent(event: CalibrationEvent): void;
}

export const createCalibrationSlice: SliceCreator<CalibrationSlice> = (api) => (set, get) => {
  // Runs that ended before calibrateModel() replied must not come back.
  const ended = new Set<string>();
  return {
    profiles: {},
    calibrations: {},
    startingCalibration: {},
    calibrationEnds: {},

    loadProfile: (modelId) =>
      trackLoadable(
        get().profiles[modelId],
        () => api.getModelProfile({ modelId }),
        (profile) => set((state) => ({ profiles: { ...state.profiles, [modelId]: profile } })),
      ).then(
        () => undefined,
        (error) => get().reportError("Could not read the model's calibration", error),
      ),

    calibrate: async (modelId, useDocumentId) => {
      set((state) => ({ startingCalibration: { ...state.startingCalibration, [modelId]: true } }));
      try {
        const { requestId } = await api.calibrateModel(useDocumentId ? { modelId, useDocumentId } : { modelId });
        if (ended.has(requestId)) return;
        set((state) => ({
          calibrations: {
            ...state.calibrations,
            [requestId]: state.calibrations[requestId] ?? { requestId, modelId, progress: null },
          },
          calibrationEnds: withoutKey(state.calibrationEnds, modelId),
        }));
      } catch (error) {
        get().reportError("Could not start the calibration", error);
      } finally {
        set((state) => ({ startingCalibration: withoutKey(state.startingCalibration, modelId) }));
      }
    },

    receiveCalibrationEvent: (event) => {
      const { [event.requestId]: run, ...others } = get().calibrations;
      if (event.type !== "calibration-progress") ended.add(event.requestId);
      switch (event.type) {
        case "calibration-progress":
          set({
            calibrations: {
              ...others,
              [event.requestId]: { requestId: event.requestId, modelId: event.modelId, progress: event },
            },
          });
          return;
        case "calibration-done":
          set((state) => ({
            calibrations: others,
            profiles: { ...state.profiles, [event.modelId]: loaded(event.profile) },
          }));
          // The model lists say "calibrated" now.
          void get().refreshModels();
          void get().refreshStatus();
          return;
        case "request-failed":
          if (!run) return;
          set((state) => ({
            calibrations: others,
            calibrationEnds: { ...state.calibrationEnds, [run.modelId]: event.error },
          }));
          if (event.error.code !== "cancelled") get().reportError("The calibration failed", event.error);
          return;
      }
    },
  };
};
