import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePdf } from "../fixtures/pdf-writer";
import { realModel, rIntroMissing, rIntroPages } from "../integration/real/real-model-fixture";
import { type AppUnderTest, launchBrowser, openApp, SCREENSHOT_DIR } from "./browser";

/**
 * SmolLM2 135M Instruct in the browser: load it, open a PDF of real prose (R-intro.pdf's pages 8-10),
 * ask under a budget below the document's length, watch the answer stream, then read the per-layer
 * chart and the heat map of what its 30 layers kept.
 */
const model = realModel("smollm2-135m-instruct");
const skip = "missing" in model ? model.missing : rIntroMissing();

let dir: string;
let browser: Browser;
let app: AppUnderTest;

/** Lines of at most 90 ASCII characters (the test PDF writer's fonts are ASCII). */
function pdfLines(text: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/[^\x20-\x7e\n]/g, " ").split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > 90) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(line);
  }
  return lines;
}

beforeAll(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), "compresskv-real-e2e-"));
  await mkdir(join(dir, "resources", "models"), { recursive: true });
  await symlink((model as { path: string }).path, join(dir, "resources", "models", "SmolLM2-135M-Instruct.Q4_1.gguf"));
  await cp(resolve("resources/calibration"), join(dir, "resources", "calibration"), { recursive: true });
  const lines = pdfLines(await rIntroPages(8, 10));
  const pages = Array.from({ length: Math.ceil(lines.length / 40) }, (_, i) => lines.slice(i * 40, (i + 1) * 40));
  await writeFile(join(dir, "r-intro-pages.pdf"), makePdf(pages));
  browser = await launchBrowser();
  app = await openApp(browser, { resourcesDir: join(dir, "resources") });
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(skip)("a real chat model in the browser", () => {
  it("loads SmolLM2, opens a PDF, streams a compressed answer and shows its 30 layers' cache", async () => {
    const { page } = app;
    const modelItem = page.getByRole("listitem").filter({ hasText: /smollm2/i });
    await modelItem.getByRole("button", { name: "Load" }).click();
    await expect.poll(() => app.service.getStatus().then((s) => s.loadedModel?.layers), { timeout: 60_000 }).toBe(30);

    await page.getByLabel("Document file").setInputFiles(join(dir, "r-intro-pages.pdf"));
    await page.getByRole("heading", { name: "r-intro-pages.pdf" }).waitFor({ timeout: 60_000 });
    await page.getByRole("spinbutton", { name: "Budget in tokens" }).fill("256");
    await page.getByRole("spinbutton", { name: "Budget in tokens" }).press("Enter");
    await expect.poll(async () => (await app.service.getSettings()).compression.budget, { timeout: 10_000 }).toBe(256);

    const tokenFrames: number[] = [];
    page.on("websocket", (socket) =>
      socket.on("framereceived", (frame) => {
        if (String(frame.payload).includes('"answer-token"')) tokenFrames.push(Date.now());
      }),
    );
    await page.reload();
    await page.getByRole("heading", { name: "r-intro-pages.pdf" }).waitFor({ timeout: 60_000 });
    await page.getByRole("textbox", { name: "Question" }).fill("What does the function lm do?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    const chat = page.getByRole("log", { name: "Chat" });
    await expect.poll(() => tokenFrames.length, { timeout: 120_000 }).toBeGreaterThan(3);
    await expect.poll(() => page.getByRole("button", { name: "Stop" }).isDisabled(), { timeout: 120_000 }).toBe(true);
    const answer = chat.locator("article.message-assistant").last();
    expect((await answer.locator(".message-text").innerText()).trim().length).toBeGreaterThan(0);
    // SmolLM2's calibration ships with the app, so CompressKV itself runs.
    expect(await answer.innerText()).toMatch(/compresskv · budget 256 · shared plan · question-aware/);
    expect(await answer.innerText()).not.toMatch(/Asked for/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "real-model-answer.png") });

    await page.getByRole("tab", { name: "Cache" }).click();
    const table = page.getByRole("table", { name: /per-layer cache/i }).first();
    await table.waitFor({ timeout: 30_000 });
    expect(await table.locator("tbody tr").count()).toBe(30);
    await page.getByRole("img", { name: /Retained tokens, layer by document position/ }).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, "real-model-cache.png") });
  });
});
