// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../../src-main/api/contract";
import { selectCompareRunning } from "../../../src-renderer/state/compare-slice";
import { fakeMainApi } from "./fake-main-api";
import { assistantMessage, report, stats, userMessage } from "./sample-data";
import { flush, startedStore } from "./store-test-helpers";

const QUESTION = "The code of Bako is";

/** A fake ask() that, like the main process, announces the answer before it replies. */
function askingApi(events: (event: EngineEvent) => void) {
  let next = 0;
  return fakeMainApi({
    ask: async ({ documentId, question }) => {
      const requestId = `cmp-${++next}`;
      events({ type: "answer-started", requestId, documentId, questionMessage: userMessage(`q-${next}`, question) });
      return { requestId };
    },
  });
}

async function comparingStore() {
  const sink: { send: (event: EngineEvent) => void } = { send: () => undefined };
  const api = askingApi((event) => sink.send(event));
  const { store } = await startedStore(api);
  sink.send = (event) => store.getState().receiveEngineEvent(event);
  store.getState().setCompareQuestion(`  ${QUESTION} `);
  store.getState().setCompareSide(0, { method: "snapkv", budget: 256 });
  store.getState().setCompareSide(1, { method: "streaming-llm" });
  return { store, api, send: sink.send };
}

describe("comparing two settings", () => {
  it("asks under each side's settings in turn, outside the chat, and follows each answer", async () => {
    const { store, api, send } = await comparingStore();
    const running = store.getState().runCompare(report.id);
    await flush();
    expect(api.ask.mock.calls).toEqual([
      [
        {
          documentId: report.id,
          question: QUESTION,
          compression: { method: "snapkv", budget: 256 },
          saveToChat: false,
        },
      ],
    ]);
    expect(selectCompareRunning(store.getState())).toBe(true);

    send({ type: "answer-token", requestId: "cmp-1", text: " 482" });
    expect(store.getState().compareRun?.answers[0]).toMatchObject({
      status: "running",
      requestId: "cmp-1",
      text: " 482",
    });
    expect(store.getState().compareRun?.answers[1].status).toBe("waiting");
    send({ type: "answer-done", requestId: "cmp-1", message: assistantMessage("a-1", " 48213.", { stats }) });
    await flush();
    expect(api.ask.mock.calls[1]).toEqual([
      { documentId: report.id, question: QUESTION, compression: { method: "streaming-llm" }, saveToChat: false },
    ]);
    send({
      type: "request-failed",
      requestId: "cmp-2",
      error: { code: "internal", message: "The model stopped responding." },
    });
    await running;

    const run = store.getState().compareRun!;
    expect(run.answers.map((a) => [a.status, a.text, a.error?.message])).toEqual([
      ["done", " 48213.", undefined],
      ["failed", "", "The model stopped responding."],
    ]);
    expect(selectCompareRunning(store.getState())).toBe(false);
    // Neither question nor answer reached the chat.
    expect(store.getState().chats[report.id].messages).toEqual([]);
    expect(store.getState().answers).toEqual({});
  });

  it("stops the running side and skips the other", async () => {
    const { store, api } = await comparingStore();
    const running = store.getState().runCompare(report.id);
    await flush();
    await store.getState().stopCompare();
    expect(api.cancel).toHaveBeenCalledWith({ requestId: "cmp-1" });
    store.getState().receiveEngineEvent({
      type: "request-failed",
      requestId: "cmp-1",
      error: { code: "cancelled", message: "Stopped." },
    });
    await running;
    expect(store.getState().compareRun!.answers.map((a) => [a.status, a.error?.code])).toEqual([
      ["failed", "cancelled"],
      ["failed", "cancelled"],
    ]);
    expect(api.ask).toHaveBeenCalledTimes(1);
  });

  it("keeps chat questions waiting while a comparison runs", async () => {
    const { store, api } = await comparingStore();
    void store.getState().runCompare(report.id);
    await flush();
    store.getState().setDraft(report.id, "Another question");
    await store.getState().ask(report.id);
    expect(api.ask).toHaveBeenCalledTimes(1);
    expect(store.getState().drafts[report.id]).toBe("Another question");
  });
});
