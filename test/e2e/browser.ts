import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { startWebBridge, type WebBridge } from "../../src-main/bridge/web-bridge";
import { MainService, type MainServiceOptions } from "../../src-main/services/main-service";

export const SCREENSHOT_DIR = resolve("test-output/screenshots");

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) throw new Error("Chromium not found: install Debian's chromium package or set CHROMIUM_PATH");
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface AppUnderTest {
  service: MainService;
  bridge: WebBridge;
  page: Page;
  close(): Promise<void>;
}

/** The built renderer in a fresh page, served by the bridge over a new MainService. */
export async function openApp(
  browser: Browser,
  options: Omit<MainServiceOptions, "dataDir"> & { dataDir?: string },
): Promise<AppUnderTest> {
  const rendererDir = resolve("out/renderer");
  if (!existsSync(join(rendererDir, "index.html"))) throw new Error("Build the renderer first: npm run build");
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "compresskv-e2e-")));
  const service = new MainService({ ...options, dataDir });
  const bridge = await startWebBridge({ service, rendererDir });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(bridge.url);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    service,
    bridge,
    page,
    async close() {
      await page.close();
      await bridge.close();
      await service.dispose();
      if (pageErrors.length) throw new Error(`The page threw: ${pageErrors.join("; ")}`);
    },
  };
}
