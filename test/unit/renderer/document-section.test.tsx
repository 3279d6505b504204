// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DocumentInfo } from "../../../src-main/api/contract";
import { DocumentSection } from "../../../src-renderer/components/document-section";
import { deferred, fakeMainApi } from "./fake-main-api";
import { renderStarted, renderWithStore } from "./render-with-store";
import { notes, report } from "./sample-data";

afterEach(cleanup);

describe("DocumentSection", () => {
  it("says the library is loading", () => {
    const { store } = renderWithStore(<DocumentSection />, fakeMainApi({ listDocuments: () => new Promise(() => {}) }));
    act(() => {
      void store.getState().refreshDocuments();
    });
    expect(screen.getByText("Loading the library…")).toBeTruthy();
  });

  it("shows an empty library", async () => {
    await renderStarted(<DocumentSection />, fakeMainApi({ listDocuments: async () => [] }));
    expect(screen.getByText("No documents yet.")).toBeTruthy();
  });

  it("offers a retry when the library cannot be listed", async () => {
    const api = fakeMainApi({ listDocuments: async () => Promise.reject({ code: "internal", message: "x" }) });
    await renderStarted(<DocumentSection />, api);
    expect(screen.getByText(/The library is unavailable/)).toBeTruthy();
    api.listDocuments.mockResolvedValue([notes]);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Retry" })));
    expect(screen.getByRole("button", { name: /^notes\.md/ })).toBeTruthy();
  });

  it("lists documents with kind and pages, the selected one marked current", async () => {
    await renderStarted(<DocumentSection />, fakeMainApi({ listDocuments: async () => [report, notes] }));
    const current = screen.getByRole("button", { current: true });
    expect(current.textContent).toBe("report.pdfPDF · 2 pages");
    await act(async () => fireEvent.click(screen.getByRole("button", { name: /^notes\.md/ })));
    expect(screen.getByRole("button", { current: true }).textContent).toBe("notes.mdMARKDOWN · 1 page");
  });

  it("opens the hidden file input from the Open document… button", async () => {
    await renderStarted(<DocumentSection />);
    const input = screen.getByLabelText("Document file") as HTMLInputElement;
    expect(input.type).toBe("file");
    expect(input.accept).toBe(".pdf,.txt,.md");
    const click = vi.spyOn(input, "click");
    fireEvent.click(screen.getByRole("button", { name: "Open document…" }));
    expect(click).toHaveBeenCalledTimes(1);
  });

  it("imports the chosen file and shows it while importing", async () => {
    const imported = deferred<DocumentInfo>();
    const { api } = await renderStarted(<DocumentSection />, fakeMainApi({ importDocument: () => imported.promise }));
    const file = new File(["# Hi\n"], "notes.md");
    await act(async () => {
      fireEvent.change(screen.getByLabelText("Document file"), { target: { files: [file] } });
    });
    expect(screen.getByRole("status").textContent).toBe("Importing notes.md…");
    await act(async () => imported.resolve(notes));
    expect(screen.queryByRole("status")).toBeNull();
    expect(api.importDocument.mock.calls[0][0].name).toBe("notes.md");
    expect(screen.getByRole("button", { current: true }).textContent).toBe("notes.mdMARKDOWN · 1 page");
  });

  it("asks before deleting, and Keep cancels", async () => {
    const { api } = await renderStarted(<DocumentSection />);
    fireEvent.click(screen.getByRole("button", { name: "Delete report.pdf" }));
    const item = screen.getByRole("listitem");
    expect(item.textContent).toContain("Delete report.pdf?");
    fireEvent.click(within(item).getByRole("button", { name: "Keep" }));
    expect(api.deleteDocument).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Delete report.pdf" }));
    const confirm = within(screen.getByRole("listitem")).getByRole("button", { name: "Delete" });
    await act(async () => fireEvent.click(confirm));
    expect(api.deleteDocument).toHaveBeenCalledWith({ documentId: report.id });
    expect(screen.getByText("No documents yet.")).toBeTruthy();
  });
});
