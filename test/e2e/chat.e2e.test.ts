import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNumberedPdf } from "../fixtures/pdf-writer";
import { EOS_ID } from "../models/byte-vocabulary";
import { TINY_LLAMA_SHAPE } from "../models/llama-model";
import { makeTinyModel } from "../models/make-model";
import { launchBrowser, openApp, SCREENSHOT_DIR, type AppUnderTest } from "./browser";

let dir: string;
let browser: Browser;
let app: AppUnderTest;
let pickNext: string | null = null;
const NEWLINE = 10; // byte token for "\n"

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "compresskv-chat-e2e-"));
  // Big enough that an answer streams for seconds (~10 ms a token here), and never ends by itself.
  await makeTinyModel(join(dir, "resources", "models", "tiny-random.gguf"), 1, {
    shape: { ...TINY_LLAMA_SHAPE, layers: 6, embedding: 384, keyLength: 48, valueLength: 48, feedForward: 1536 },
    neverEmit: [EOS_ID, NEWLINE],
  });
  await writeFile(join(dir, "ships.pdf"), makeNumberedPdf(3));
  await writeFile(join(dir, "broken.pdf"), "%PDF-1.7 not really a PDF");
  await writeFile(join(dir, "notes.gguf"), "a text file with a .gguf name");
  browser = await launchBrowser();
  app = await openApp(browser, {
    resourcesDir: join(dir, "resources"),
    filePicker: { pickFile: async () => pickNext },
  });
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

/** An answer is over when Stop has nothing left to stop. */
async function answerFinished(): Promise<void> {
  await expect.poll(() => app.page.getByRole("button", { name: "Stop" }).isDisabled(), { timeout: 60_000 }).toBe(true);
}

/** Asks a question and waits until its answer has been generated in full. */
async function askAndWait(question: string): Promise<void> {
  const { page } = app;
  await page.getByRole("textbox", { name: "Question" }).fill(question);
  await page.getByRole("button", { name: "Ask" }).click();
  await page.getByRole("log", { name: "Chat" }).getByText(question).waitFor({ timeout: 30_000 });
  await answerFinished();
}

describe("chatting with a document in the browser", () => {
  it("loads a model, opens a PDF, streams an answer and can stop it", async () => {
    const { page } = app;
    const modelItem = page.getByRole("listitem").filter({ hasText: "tiny-random" });
    await modelItem.getByRole("button", { name: "Load" }).click();
    await expect.poll(() => page.getByText("tiny-random-llama-1").count(), { timeout: 30_000 }).toBeGreaterThan(0);

    await page.getByLabel("Document file").setInputFiles(join(dir, "ships.pdf"));
    await page.getByText("Page 2 line 1: the harbour master logged ship 201.").waitFor({ timeout: 30_000 });

    const tokenFrames: number[] = [];
    page.on("websocket", (socket) =>
      socket.on("framereceived", (frame) => {
        if (String(frame.payload).includes('"answer-token"')) tokenFrames.push(Date.now());
      }),
    );
    await page.reload();
    await page.getByText("Page 2 line 1: the harbour master logged ship 201.").waitFor({ timeout: 30_000 });

    await page.getByRole("textbox", { name: "Question" }).fill("Which ship was logged on page 2?");
    const chat = page.getByRole("log", { name: "Chat" });
    await page.getByRole("button", { name: "Ask" }).click();
    // The answer grows token by token on screen while it streams.
    await expect.poll(() => tokenFrames.length, { timeout: 30_000 }).toBeGreaterThan(0);
    const early = await chat.innerText();
    await expect.poll(() => tokenFrames.length, { timeout: 30_000 }).toBeGreaterThan(20);
    const later = await chat.innerText();
    expect(later.length).toBeGreaterThan(early.length);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "chat-streaming.png") });
    await page.getByRole("button", { name: "Stop" }).click();
    await answerFinished();
    expect(tokenFrames.length).toBeLessThan(512);
    const stopped = await chat.innerText();
    expect(stopped).toContain("Which ship was logged on page 2?");
    expect(stopped).toContain("Stopped.");

    await askAndWait("And on page 3?");
    expect(await chat.innerText()).toMatch(/And on page 3\?\s+Model\s+\S+/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "chat-streamed-answer.png") });
  });

  it("shows clear errors for a corrupt PDF and a file that is not GGUF, and keeps working", async () => {
    const { page } = app;
    await page.getByLabel("Document file").setInputFiles(join(dir, "broken.pdf"));
    await expect.poll(() => page.getByRole("alert").innerText(), { timeout: 30_000 }).toMatch(/not a readable PDF/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, "error-corrupt-pdf.png") });

    pickNext = join(dir, "notes.gguf");
    await page.getByRole("button", { name: "Open GGUF…" }).click();
    await expect
      .poll(() => page.getByRole("alert").allInnerTexts(), { timeout: 30_000 })
      .toContainEqual(expect.stringMatching(/notes\.gguf is not a GGUF model file/));

    // The loaded model and the open document still answer.
    await askAndWait("Still there?");
    expect(await page.getByRole("log", { name: "Chat" }).innerText()).toMatch(/Still there\?\s+Model\s+\S+/);
  });
});
