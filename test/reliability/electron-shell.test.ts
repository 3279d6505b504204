import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

/**
 * Electron's binary can't run on the test machines, so the shell's policy is checked against a
 * recording stand-in for the electron module: what the shell asks Electron to do, not Electron itself.
 */
const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const emitter = () => {
    const listeners = new Map<string, Listener[]>();
    return {
      listeners,
      on(name: string, listener: Listener) {
        listeners.set(name, [...(listeners.get(name) ?? []), listener]);
        return this;
      },
      once(name: string, listener: Listener) {
        return this.on(name, listener);
      },
      off(name: string, listener: Listener) {
        listeners.set(
          name,
          (listeners.get(name) ?? []).filter((l) => l !== listener),
        );
        return this;
      },
      emit(name: string, ...args: unknown[]) {
        return (listeners.get(name) ?? []).map((listener) => listener(...args));
      },
    };
  };
  const makeContents = () => {
    const contents = {
      ...emitter(),
      sent: [] as unknown[],
      windowOpenHandler: undefined as undefined | ((details: { url: string }) => { action: string }),
      setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
        contents.windowOpenHandler = handler;
      },
      send(_channel: string, message: unknown) {
        contents.sent.push(message);
      },
      isDestroyed: () => false,
    };
    return contents;
  };
  const state = {
    userData: "",
    headersHandler: undefined as undefined | ((details: unknown, callback: (response: unknown) => void) => void),
    permissionHandler: undefined as
      | undefined
      | ((contents: unknown, permission: string, callback: (allow: boolean) => void) => void),
    permissionCheck: undefined as undefined | ((...args: unknown[]) => boolean),
    windows: [] as { options: Record<string, unknown>; webContents: ReturnType<typeof makeContents>; url?: string }[],
    exposed: {} as Record<string, unknown>,
    ready: undefined as undefined | (() => void),
  };
  const app = {
    ...emitter(),
    isPackaged: false,
    getAppPath: () => process.cwd(),
    getPath: () => state.userData,
    quit: () => undefined,
    whenReady: () => new Promise<void>((resolve) => (state.ready = resolve)),
  };
  class BrowserWindow {
    readonly webContents = makeContents();
    private readonly events = emitter();
    constructor(options: Record<string, unknown>) {
      state.windows.push({ options, webContents: this.webContents });
    }
    static getAllWindows = () => state.windows;
    on(name: string, listener: (...args: unknown[]) => unknown) {
      this.events.on(name, listener);
    }
    once(name: string, listener: (...args: unknown[]) => unknown) {
      this.events.on(name, listener);
    }
    async loadURL(url: string) {
      state.windows.at(-1)!.url = url;
    }
  }
  const module = {
    app,
    BrowserWindow,
    ipcMain: emitter(),
    ipcRenderer: { ...emitter(), send: () => undefined },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (state.exposed[key] = value) },
    dialog: {},
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (handler: typeof state.headersHandler) => (state.headersHandler = handler) },
        setPermissionRequestHandler: (handler: typeof state.permissionHandler) => (state.permissionHandler = handler),
        setPermissionCheckHandler: (handler: typeof state.permissionCheck) => (state.permissionCheck = handler),
      },
    },
  };
  return { state, module, makeContents };
});

vi.mock("electron", () => ({ ...electron.module, default: electron.module }));

const { CONTENT_SECURITY_POLICY, hardenSession, lockDownContents } = await import("../../src-main/app/security");

const PERMISSIONS = [
  "media",
  "geolocation",
  "notifications",
  "midi",
  "midiSysex",
  "pointerLock",
  "fullscreen",
  "openExternal",
  "clipboard-read",
  "clipboard-sanitized-write",
  "display-capture",
  "hid",
  "serial",
  "usb",
  "idle-detection",
  "storage-access",
];

afterAll(async () => {
  if (electron.state.userData) await rm(electron.state.userData, { recursive: true, force: true });
});

describe("the Electron shell's security policy (against a stand-in electron module)", () => {
  it("allows only the app's own content: no remote sources, no eval, no plugins, no framing", () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(";").map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("connect-src")).toEqual(["'self'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|unsafe-eval|wasm-unsafe-eval/);
  });

  it(`puts the CSP on every response and denies all ${PERMISSIONS.length} permission requests and checks`, () => {
    hardenSession();
    let response: { responseHeaders: Record<string, string[]> } | undefined;
    electron.state.headersHandler!({ responseHeaders: { "Content-Security-Policy": ["default-src *"] } }, (r) => {
      response = r as typeof response;
    });
    expect(response!.responseHeaders["Content-Security-Policy"]).toEqual([CONTENT_SECURITY_POLICY]);
    for (const permission of PERMISSIONS) {
      let allowed: boolean | undefined;
      electron.state.permissionHandler!({}, permission, (allow) => (allowed = allow));
      expect(allowed, permission).toBe(false);
      expect(electron.state.permissionCheck!({}, permission, "file://", {}), permission).toBe(false);
    }
  });

  it("keeps a window on its page: other navigations, redirects, new windows and webviews are refused (7 tries)", () => {
    const contents = electron.makeContents();
    const page = "file:///app/renderer/index.html";
    lockDownContents(contents as never, page);
    const prevented = (event: string, ...args: unknown[]) => {
      let wasPrevented = false;
      contents.emit(event, { preventDefault: () => (wasPrevented = true) }, ...args);
      return wasPrevented;
    };
    expect(prevented("will-navigate", page)).toBe(false);
    for (const url of ["https://evil.example/", "file:///etc/passwd", `${page}.evil`, "javascript:alert(1)"]) {
      expect(prevented("will-navigate", url), url).toBe(true);
    }
    expect(prevented("will-redirect", "https://evil.example/")).toBe(true);
    expect(prevented("will-attach-webview", {}, {})).toBe(true);
    expect(contents.windowOpenHandler!({ url: "https://evil.example/" })).toEqual({ action: "deny" });
  });

  it("opens its window sandboxed and isolated, denies windows from any contents, and serves IPC only to that window", async () => {
    electron.state.userData = await mkdtemp(join(tmpdir(), "compresskv-shell-"));
    await import("../../src-main/index");
    electron.state.ready!();
    await vi.waitFor(() => expect(electron.state.windows).toHaveLength(1));
    const [window] = electron.state.windows;
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect((window.options.webPreferences as Record<string, unknown>).nodeIntegrationInWorker).not.toBe(true);
    await vi.waitFor(() => expect(window.url).toMatch(/^file:.*index\.html$/));

    const other = electron.makeContents();
    electron.module.app.emit("web-contents-created", {}, other);
    expect(other.windowOpenHandler!({ url: "https://evil.example/" })).toEqual({ action: "deny" });

    // The same request from another sender is ignored; from the window's own contents it is answered.
    const request = { t: "q", i: "r1", m: "getSettings", a: [] };
    electron.module.ipcMain.emit("compresskv:rpc", { sender: other }, request);
    electron.module.ipcMain.emit("compresskv:rpc", { sender: window.webContents }, null);
    electron.module.ipcMain.emit(
      "compresskv:rpc",
      { sender: window.webContents },
      { t: "q", i: "r2", m: "constructor", a: [] },
    );
    electron.module.ipcMain.emit("compresskv:rpc", { sender: window.webContents }, request);
    await vi.waitFor(() => expect(window.webContents.sent).toHaveLength(2));
    expect(other.sent).toHaveLength(0);
    const [unknown, settings] = window.webContents.sent as {
      i: string;
      r?: { compression: unknown };
      e?: { code: string };
    }[];
    expect(unknown).toMatchObject({ i: "r2", e: { code: "invalid-request" } });
    expect(settings.i).toBe("r1");
    expect(settings.r?.compression).toBeDefined();
  });

  it("gives the renderer one message channel through the preload and nothing else", async () => {
    await import("../../src-main/preload/index");
    expect(Object.keys(electron.state.exposed)).toEqual(["compresskvIpc"]);
    const bridge = electron.state.exposed.compresskvIpc as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(["on", "post"]);
  });
});
