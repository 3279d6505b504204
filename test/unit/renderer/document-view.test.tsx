// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { DocumentText } from "../../../src-main/api/contract";
import { DocumentView } from "../../../src-renderer/components/document-view";
import { deferred, fakeMainApi } from "./fake-main-api";
import { renderWithStore } from "./render-with-store";
import { report, reportText } from "./sample-data";

afterEach(cleanup);

function renderSelected(api = fakeMainApi()) {
  const view = renderWithStore(<DocumentView document={report} />, api);
  return { ...view, api, select: () => act(async () => view.store.getState().selectDocument(report.id)) };
}

describe("DocumentView", () => {
  it("heads the view with the document's name and size", () => {
    renderSelected();
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("report.pdf");
    expect(screen.getByText("PDF · 2 pages · 26 characters · 2.0 KiB")).toBeTruthy();
  });

  it("says it is reading while the text loads", async () => {
    const text = deferred<DocumentText>();
    const { select } = renderSelected(fakeMainApi({ getDocumentText: () => text.promise }));
    await select();
    expect(screen.getByRole("status").textContent).toBe("Reading the document…");
  });

  it("shows each page's text under a Page N heading", async () => {
    const { select } = renderSelected();
    await select();
    const pages = screen.getAllByRole("article");
    expect(pages.map((page) => page.textContent)).toEqual(["Page 1First page text.", "Page 2Second one"]);
    expect(screen.getByRole("heading", { name: "Page 2" })).toBeTruthy();
  });

  it("says so when the document has no text", async () => {
    const blank = { ...reportText, text: " ", pages: [] };
    const { select } = renderSelected(fakeMainApi({ getDocumentText: async () => blank }));
    await select();
    expect(screen.getByText("This document has no text.")).toBeTruthy();
  });

  it("shows the error and retries", async () => {
    const { select, api } = renderSelected(
      fakeMainApi({
        getDocumentText: async () => Promise.reject({ code: "document-not-found", message: "It is gone." }),
      }),
    );
    await select();
    expect(screen.getByText(/Could not show this document: It is gone\./)).toBeTruthy();
    api.getDocumentText.mockResolvedValue(reportText);
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Retry" })));
    expect(screen.getAllByRole("article")).toHaveLength(2);
  });
});
