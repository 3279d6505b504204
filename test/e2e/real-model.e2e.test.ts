import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePdf } from "../fixtures/pdf-writer";
import { realModel, rIntroMissing, rIntroPages } from "../integration/real/real-model-fixture";
import { type AppUnderTest, launchBrowser, openApp, SCREENSHOT_DIR } from "./browser";

/**
 * Real models in the browser: load one, open a PDF of real prose (R-intro.pdf's pages 8-10), ask
 * under a budget below the document's length, watch the answer stream, then read the per-layer chart
 * and the heat map of what its layers kept. SmolLM2 135M Instruct (30 layers) and Gemma 3 270M, whose
 * sliding-window layers must show as such.
 */
const smolLm2 = realModel("smollm2-135m-instruct");
const gemma = realModel("gemma-3-270m");
const skip = rIntroMissing();

let dir: string;
let browser: Browser;
let pdf: string;

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
  const lines = pdfLines(await rIntroPages(8, 10));
  const pages = Array.from({ length: Math.ceil(lines.length / 40) }, (_, i) => lines.slice(i * 40, (i + 1) * 40));
  pdf = join(dir, "r-intro-pages.pdf");
  await writeFile(pdf, makePdf(pages));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The app with only `modelPath` in its models folder, and the shipped calibrations. */
async function appWith(modelPath: string): Promise<AppUnderTest> {
  const resources = await mkdtemp(join(dir, "resources-"));
  await mkdir(join(resources, "models"), { recursive: true });
  await symlink(modelPath, join(resources, "models", basename(modelPath)));
  await cp(resolve("resources/calibration"), join(resources, "calibration"), { recursive: true });
  return openApp(browser, { resourcesDir: resources });
}

/**
 * Loads the model, opens the PDF, sets the budget to 256, asks, and waits for the streamed answer to
 * finish; returns the answer's text (with its stats line) and opens the Cache view.
 */
async function askCompressed(app: AppUnderTest, name: RegExp, layers: number, screenshot: string): Promise<string> {
  const { page } = app;
  const modelItem = page.getByRole("listitem").filter({ hasText: name });
  await modelItem.getByRole("button", { name: "Load" }).click();
  await expect.poll(() => app.service.getStatus().then((s) => s.loadedModel?.layers), { timeout: 60_000 }).toBe(layers);

  await page.getByLabel("Document file").setInputFiles(pdf);
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
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${screenshot}-answer.png`) });
  const text = await answer.innerText();

  await page.getByRole("tab", { name: "Cache" }).click();
  const table = page.getByRole("table", { name: /per-layer cache/i }).first();
  await table.waitFor({ timeout: 30_000 });
  expect(await table.locator("tbody tr").count()).toBe(layers);
  await page.getByRole("img", { name: /Retained tokens, layer by document position/ }).waitFor();
  return text;
}

describe.skipIf(skip ?? ("missing" in smolLm2 ? smolLm2.missing : undefined))(
  "a real chat model in the browser",
  () => {
    it("loads SmolLM2, opens a PDF, streams a compressed answer and shows its 30 layers' cache", async () => {
      const app = await appWith((smolLm2 as { path: string }).path);
      try {
        const answer = await askCompressed(app, /smollm2/i, 30, "real-model");
        // SmolLM2's calibration ships with the app, so CompressKV itself runs.
        expect(answer).toMatch(/compresskv · budget 256 · shared plan · question-aware/);
        expect(answer).not.toMatch(/Asked for/);
        await app.page.screenshot({ path: join(SCREENSHOT_DIR, "real-model-cache.png") });
      } finally {
        await app.close();
      }
    });
  },
);

describe.skipIf(skip ?? ("missing" in gemma ? gemma.missing : undefined))(
  "a sliding-window model in the browser",
  () => {
    it("loads Gemma 3 270M: CompressKV runs on its 3 global layers, the chart and heat map show 15 window layers", async () => {
      const app = await appWith((gemma as { path: string }).path);
      try {
        const answer = await askCompressed(app, /gemma/i, 18, "gemma3");
        expect(answer).toMatch(/compresskv · budget 256/);
        expect(answer).not.toMatch(/Asked for/);
        const table = app.page.getByRole("table", { name: /per-layer cache/i }).first();
        const kinds = await table.locator("tbody tr td:first-of-type").allInnerTexts();
        expect(kinds).toEqual(
          Array.from({ length: 18 }, (_, layer) => (layer % 6 === 5 ? "compressed" : "sliding window")),
        );
        await app.page.getByText("15 of 18 layers keep a sliding window", { exact: false }).first().waitFor();
        await app.page
          .getByText("rows of sliding-window layers (0-4, 6-10, 12-16) show the window their cache holds", {
            exact: false,
          })
          .first()
          .waitFor();
        await app.page.screenshot({ path: join(SCREENSHOT_DIR, "gemma3-cache.png") });
      } finally {
        await app.close();
      }
    });
  },
);
