import { app, BrowserWindow } from "electron";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { connectWindow } from "./app/ipc-connection";
import { electronFilePicker } from "./app/electron-file-picker";
import { hardenSession, lockDownContents } from "./app/security";
import { MainService } from "./services/main-service";

let mainWindow: BrowserWindow | null = null;

function resourcesDir(): string {
  return app.isPackaged ? process.resourcesPath : join(app.getAppPath(), "resources");
}

async function createWindow(service: MainService): Promise<void> {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: "CompressKV Desktop",
    webPreferences: {
      preload: join(import.meta.dirname, "../preload/index.cjs"),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow = window;
  const devServer = process.env.ELECTRON_RENDERER_URL;
  const url = devServer ?? pathToFileURL(join(import.meta.dirname, "../renderer/index.html")).toString();
  lockDownContents(window.webContents, url);
  const disconnect = connectWindow(window.webContents, service);
  window.on("closed", () => {
    disconnect();
    mainWindow = null;
  });
  window.once("ready-to-show", () => window.show());
  await window.loadURL(url);
}

app.on("web-contents-created", (_event, contents) => contents.setWindowOpenHandler(() => ({ action: "deny" })));

void app.whenReady().then(async () => {
  hardenSession();
  const service = new MainService({
    dataDir: app.getPath("userData"),
    resourcesDir: resourcesDir(),
    // Started from a checkout (npm start), the real models its set-up fetched are offered too.
    setupModelsDirs: app.isPackaged ? [] : [join(app.getAppPath(), ".cache", "models")],
    filePicker: electronFilePicker(() => mainWindow),
  });
  app.on("window-all-closed", () => {
    void service.dispose().finally(() => app.quit());
  });
  app.on("activate", () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow(service);
  });
  await createWindow(service);
});
