import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Where the desktop app keeps its data (Electron's userData folder for this app), so the command line
 * shares documents' profiles and states with it. COMPRESSKV_DATA_DIR overrides it.
 */
export function defaultDataDir(): string {
  if (process.env.COMPRESSKV_DATA_DIR) return resolve(process.env.COMPRESSKV_DATA_DIR);
  const app = "compresskv-desktop";
  if (process.platform === "win32") return join(process.env.APPDATA ?? join(homedir(), "AppData", "Roaming"), app);
  if (process.platform === "darwin") return join(homedir(), "Library", "Application Support", app);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), app);
}
