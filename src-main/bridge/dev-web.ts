import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { MainService } from "../services/main-service";
import { startWebBridge } from "./web-bridge";

// `npm run dev:web`: the built renderer in any browser, against the real main-process services.
const dataDir = resolve(process.env.COMPRESSKV_DATA_DIR ?? join(homedir(), ".compresskv-desktop-dev"));
const service = new MainService({
  dataDir,
  resourcesDir: resolve("resources"),
  setupModelsDirs: [resolve(".cache/models")],
});
const bridge = await startWebBridge({
  service,
  rendererDir: resolve("out/renderer"),
  port: process.env.PORT ? Number(process.env.PORT) : 0,
});
console.log(`CompressKV web bridge (development only), data in ${dataDir}`);
console.log(`Open ${bridge.url}`);

async function shutdown(): Promise<void> {
  await bridge.close();
  await service.dispose();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
