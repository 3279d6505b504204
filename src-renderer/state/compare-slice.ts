import type { AppErrorInfo } from "../../src-main/api/app-error";
import type { ChatMessage, CompressionMethodName, EngineEvent } from "../../src-main/api/contract";
import type { CompressionSettings } from "../../src-main/api/compression-settings";
import type { AppState, SliceCreator } from "./app-store";
import { trackIngest, type IngestTracking } from "./conversation";
import { errorInfoOf } from "./error-info";

/** What one side of a comparison changes over the saved settings. */
export interface CompareSide {
  method: CompressionMethodName;
  /** Cells for the document; null keeps the saved budget. */
  budget: number | null;
}

export interface CompareAnswer {
  status: "waiting" | "running" | "done" | "failed";
  requestId: string | null;
  text: string;
  progress: IngestTracking | null;
  /** The finished answer, with its stats and compression report. */
  message: ChatMessage | null;
  error: AppErrorInfo | null;
}

export interface CompareRun {
  documentId: string;
  question: string;
  sides: [CompareSide, CompareSide];
  answers: [CompareAnswer, CompareAnswer];
}

type SideIndex = 0 | 1;

export interface CompareSlice {
  compareSides: [CompareSide, CompareSide];
  compareQuestion: string;
  compareRun: CompareRun | null;
  setCompareSide(index: SideIndex, change: Partial<CompareSide>): void;
  setCompareQuestion(text: string): void;
  /** Asks the question under each side's settings, one after the other, outside the chat. */
  runCompare(documentId: string): Promise<void>;
  stopCompare(): Promise<void>;
  /** Takes the events of the comparison's requests; false for any other event. */
  receiveCompareEvent(event: EngineEvent): boolean;
}

const waiting: CompareAnswer = {
  status: "waiting",
  requestId: null,
  text: "",
  progress: null,
  message: null,
  error: null,
};

export const selectCompareRunning = (state: AppState) =>
  state.compareRun?.answers.some((a) => a.status === "waiting" || a.status === "running") ?? false;

export function overrideOf(side: CompareSide): Partial<CompressionSettings> {
  return side.budget === null ? { method: side.method } : { method: side.method, budget: side.budget };
}

export const createCompareSlice: SliceCreator<CompareSlice> = (api) => (set, get, store) => {
  /** The side whose ask() is on its way: its answer-started event arrives before the reply. */
  let claiming: { documentId: string; question: string; side: SideIndex } | null = null;
  let stopRequested = false;

  const updateAnswer = (side: SideIndex, change: Partial<CompareAnswer>) =>
    set((state) => {
      if (!state.compareRun) return {};
      const answers = [...state.compareRun.answers] as CompareRun["answers"];
      answers[side] = { ...answers[side], ...change };
      return { compareRun: { ...state.compareRun, answers } };
    });

  const sideOf = (requestId: string): SideIndex | null => {
    const index = get().compareRun?.answers.findIndex((a) => a.requestId === requestId) ?? -1;
    return index === 0 || index === 1 ? index : null;
  };

  const ended = (side: SideIndex) => (state: AppState) => {
    const status = state.compareRun?.answers[side].status;
    return status === "done" || status === "failed";
  };

  const until = (predicate: (state: AppState) => boolean) =>
    new Promise<void>((resolve) => {
      if (predicate(get())) return resolve();
      const unsubscribe = store.subscribe((state) => {
        if (!predicate(state)) return;
        unsubscribe();
        resolve();
      });
    });

  return {
    compareSides: [
      { method: "compresskv", budget: null },
      { method: "snapkv", budget: null },
    ],
    compareQuestion: "",
    compareRun: null,

    setCompareSide: (index, change) =>
      set((state) => {
        const compareSides = [...state.compareSides] as CompareSlice["compareSides"];
        compareSides[index] = { ...compareSides[index], ...change };
        return { compareSides };
      }),

    setCompareQuestion: (compareQuestion) => set({ compareQuestion }),

    runCompare: async (documentId) => {
      const question = get().compareQuestion.trim();
      if (!question || selectCompareRunning(get())) return;
      const sides = get().compareSides;
      stopRequested = false;
      set({ compareRun: { documentId, question, sides, answers: [waiting, waiting] } });
      for (const side of [0, 1] as const) {
        if (stopRequested) {
          updateAnswer(side, { status: "failed", error: { code: "cancelled", message: "Stopped." } });
          continue;
        }
        claiming = { documentId, question, side };
        updateAnswer(side, { status: "running" });
        try {
          const { requestId } = await api.ask({
            documentId,
            question,
            compression: overrideOf(sides[side]),
            saveToChat: false,
          });
          if (get().compareRun?.answers[side].requestId === null) updateAnswer(side, { requestId });
        } catch (error) {
          updateAnswer(side, { status: "failed", error: errorInfoOf(error) });
          get().reportError("Could not ask the question", error);
        } finally {
          claiming = null;
        }
        await until(ended(side));
      }
    },

    stopCompare: async () => {
      stopRequested = true;
      const running = get().compareRun?.answers.find((a) => a.status === "running" && a.requestId);
      if (running?.requestId) await get().cancel(running.requestId);
    },

    receiveCompareEvent: (event) => {
      if (event.type === "answer-started") {
        if (!claiming || claiming.documentId !== event.documentId || claiming.question !== event.questionMessage.text) {
          return false;
        }
        updateAnswer(claiming.side, { requestId: event.requestId });
        return true;
      }
      if (!("requestId" in event)) return false;
      const side = sideOf(event.requestId);
      if (side === null) return false;
      const answer = get().compareRun!.answers[side];
      switch (event.type) {
        case "ingest-progress":
          updateAnswer(side, { progress: trackIngest(answer.progress ?? undefined, event, Date.now()) });
          return true;
        case "answer-token":
          updateAnswer(side, { text: answer.text + event.text, progress: null });
          return true;
        case "answer-done":
          updateAnswer(side, { status: "done", message: event.message, text: event.message.text, progress: null });
          return true;
        case "request-failed":
          updateAnswer(side, {
            status: "failed",
            error: event.error,
            message: event.message ?? null,
            progress: null,
          });
          return true;
        default:
          return false;
      }
    },
  };
};
