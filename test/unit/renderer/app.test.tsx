// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../../../src-renderer/components/app";
import { fakeMainApi } from "./fake-main-api";
import { renderStarted } from "./render-with-store";
import { notes, tinyModel } from "./sample-data";

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset.theme;
  window.localStorage.clear();
});

describe("App", () => {
  it("invites opening a document when the library is empty", async () => {
    await renderStarted(<App />, fakeMainApi({ listDocuments: async () => [] }));
    expect(screen.getByRole("heading", { name: "Chat with a long document inside your memory budget" })).toBeTruthy();
    expect(screen.queryByRole("textbox", { name: "Question" })).toBeNull();
    // The demo needs the bundled model; the fake lists none.
    expect(screen.queryByRole("button", { name: "Try the demo" })).toBeNull();
  });

  it("shows the selected document beside its chat", async () => {
    await renderStarted(<App />);
    expect(screen.getByRole("heading", { name: "report.pdf" })).toBeTruthy();
    expect(screen.getByRole("log", { name: "Chat" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Page 1" })).toBeTruthy();
  });

  it("shows each failed call as a dismissible alert and keeps the rest on screen", async () => {
    const { store } = await renderStarted(
      <App />,
      fakeMainApi({
        importDocument: async () => Promise.reject({ code: "bad-document", message: "The PDF is damaged." }),
        loadModel: async () => Promise.reject({ code: "not-gguf", message: "x.bin is not a GGUF file." }),
      }),
    );
    await act(() => store.getState().importFiles([new File(["x"], "broken.pdf")]));
    await act(() => store.getState().loadModel("x-bin"));
    expect(screen.getAllByRole("alert").map((a) => a.textContent)).toEqual([
      "Could not import broken.pdfThe PDF is damaged.Dismiss",
      "Could not load the modelx.bin is not a GGUF file.Dismiss",
    ]);
    fireEvent.click(screen.getAllByRole("button", { name: "Dismiss" })[0]);
    expect(screen.getAllByRole("alert").map((a) => a.textContent)).toEqual([
      "Could not load the modelx.bin is not a GGUF file.Dismiss",
    ]);
    expect(screen.getByRole("heading", { name: "report.pdf" })).toBeTruthy();
  });

  it("imports a file dropped onto the window", async () => {
    const { api } = await renderStarted(<App />, fakeMainApi({ importDocument: async () => notes }));
    const file = new File(["# Hi\n"], "notes.md");
    const target = screen.getByRole("main").closest(".drop-target")!;
    fireEvent.dragEnter(target, { dataTransfer: { types: ["Files"], files: [file] } });
    expect(screen.getByText("Drop to add the document")).toBeTruthy();
    await act(async () => fireEvent.drop(target, { dataTransfer: { types: ["Files"], files: [file] } }));
    expect(api.importDocument.mock.calls[0][0].name).toBe("notes.md");
    expect(screen.queryByText("Drop to add the document")).toBeNull();
    expect(screen.getByRole("heading", { name: "notes.md" })).toBeTruthy();
  });

  it("pins a theme over the system one and remembers it", async () => {
    await renderStarted(<App />);
    const select = screen.getByRole("combobox", { name: "Theme" }) as HTMLSelectElement;
    expect(select.value).toBe("system");
    expect(document.documentElement.dataset.theme).toBeUndefined();
    fireEvent.change(select, { target: { value: "dark" } });
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(window.localStorage.getItem("compresskv.theme")).toBe("dark");
    fireEvent.change(select, { target: { value: "system" } });
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  it("explains a failed or lost connection in an alert with a way to reload", async () => {
    const { store } = await renderStarted(<App />);
    act(() => store.getState().setConnection("failed", "The page address has no access token."));
    expect(screen.getByRole("alert").textContent).toBe(
      "Could not connect to the CompressKV process. Check that it is running, then reload this page." +
        "The page address has no access token.Reload",
    );
    act(() => store.getState().setConnection("lost"));
    expect(screen.getByRole("alert").textContent).toBe(
      "The connection to the CompressKV process was lost. Reload this page to reconnect.Reload",
    );
    act(() => store.getState().setConnection("connecting"));
    expect(screen.getByRole("status").textContent).toBe("Connecting to the CompressKV process…");
  });

  it("moves between views with the arrow keys, Home and End", async () => {
    await renderStarted(<App />);
    const tab = (name: string) => screen.getByRole("tab", { name });
    expect(tab("Document & chat").getAttribute("aria-selected")).toBe("true");
    await act(async () => fireEvent.keyDown(tab("Document & chat"), { key: "ArrowRight" }));
    expect(tab("Cache").getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(tab("Cache"));
    expect(screen.getByRole("tabpanel", { name: "Cache" })).toBeTruthy();
    await act(async () => fireEvent.keyDown(tab("Cache"), { key: "End" }));
    expect(tab("Settings").getAttribute("aria-selected")).toBe("true");
    await act(async () => fireEvent.keyDown(tab("Settings"), { key: "ArrowRight" }));
    expect(tab("Document & chat").getAttribute("aria-selected")).toBe("true");
    expect(screen.getAllByRole("tab").map((t) => t.tabIndex)).toEqual([0, -1, -1, -1, -1]);
  });

  it("offers the bundled model with the sample document on first run", async () => {
    const bundled = { ...tinyModel, id: "demo", name: "Demo", bundled: true };
    const api = fakeMainApi({
      listDocuments: async () => [],
      listModels: async () => [bundled],
      importSampleDocument: async () => notes,
    });
    await renderStarted(<App />, api);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Try the demo" })));
    expect(api.loadModel).toHaveBeenCalledWith({ modelId: "demo" });
    expect(api.importSampleDocument).toHaveBeenCalled();
    expect(screen.getByRole("heading", { name: "notes.md" })).toBeTruthy();
  });

  it("offers the smallest real chat model for the sample too, and labels the demo model for what it is", async () => {
    const bundled = { ...tinyModel, id: "demo", name: "Demo", bundled: true };
    const chat = (id: string, name: string, sizeBytes: number) => ({
      ...tinyModel,
      id,
      name,
      sizeBytes,
      promptStyle: "chat" as const,
    });
    const api = fakeMainApi({
      listDocuments: async () => [],
      listModels: async () => [bundled, chat("qwen", "Qwen 0.5B", 400e6), chat("smol", "SmolLM2 135M", 98e6)],
      importSampleDocument: async () => notes,
    });
    await renderStarted(<App />, api);
    expect(screen.getByText(/it completes codes .*, it is not a chat model/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Chat with Qwen 0.5B" })).toBeNull();
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Chat with SmolLM2 135M" })));
    expect(api.loadModel).toHaveBeenCalledWith({ modelId: "smol" });
    expect(api.importSampleDocument).toHaveBeenCalled();
    expect(screen.getByRole("heading", { name: "notes.md" })).toBeTruthy();
  });
});
