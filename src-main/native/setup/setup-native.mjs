// Builds node-llama-cpp's addon with our attention probe (src-main/native/addon), offline, from the
// llama.cpp source node-llama-cpp ships. Run by `npm install` / `npm ci` through scripts/setup.mjs.
//
//   1. llama.cpp source: node-llama-cpp's bundled git release (no network), or the developer cache.
//   2. Our sources are copied into node-llama-cpp's llama/addon/compresskv/ and its addon is patched
//      (three tagged one-line hooks, see patch-addon.mjs).
//   3. Build: the full llama.cpp build (minutes) only when no build of the chosen backend exists;
//      when only our sources changed (content hash), just the addon target (seconds).
//   4. The build is copied to .cache/native-build/ (not in CI), so `npm ci`, which wipes
//      node_modules, restores it instead of rebuilding llama.cpp.
//   5. A child process loads the result and checks the probe answers with the expected ABI version.
//
// Environment: COMPRESSKV_GPU=auto|cuda|vulkan|metal|false (default auto: a backend whose GPU and
// toolchain are both present), COMPRESSKV_SKIP_NATIVE=1 to skip everything.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chooseBackend } from "./choose-backend.mjs";
import { patchAddon } from "./patch-addon.mjs";

const setupDir = dirname(fileURLToPath(import.meta.url));
const nativeDir = dirname(setupDir);
const projectRoot = join(nativeDir, "..", "..");
const ourSourcesDir = join(nativeDir, "addon");
const nlcDir = join(projectRoot, "node_modules", "node-llama-cpp");
const llamaDir = join(nlcDir, "llama");
const llamaCppDir = join(llamaDir, "llama.cpp");
const localBuildsDir = join(llamaDir, "localBuilds");
const lastBuildFile = join(llamaDir, "lastBuild.json");
const cacheRoot = join(projectRoot, ".cache", "native-build");
const STAMP = "compresskv-probe.json";

const log = (message) => console.log(`[compresskv setup] ${message}`);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** Runs a command with its output shown, or, when `quiet`, shown only if it fails. */
function run(command, args, { quiet = false, ...options } = {}) {
  const result = spawnSync(command, args, { stdio: quiet ? "pipe" : "inherit", encoding: "utf8", ...options });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    throw new Error(`\`${[command, ...args].join(" ")}\` failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

function nodeLlamaCpp(args) {
  run(process.execPath, [join(nlcDir, "dist", "cli", "cli.js"), ...args], { cwd: projectRoot });
}

/** Hash of everything that decides the addon's content: our sources, the patch and node-llama-cpp's version. */
function sourcesHash(nlcVersion) {
  const hash = createHash("sha256").update(nlcVersion);
  for (const name of readdirSync(ourSourcesDir).sort())
    hash.update(name).update(readFileSync(join(ourSourcesDir, name)));
  hash.update(readFileSync(join(setupDir, "patch-addon.mjs")));
  return hash.digest("hex").slice(0, 16);
}

/** Copies our sources into the addon folder, touching only files whose content changed (ninja goes by mtime). */
function installSources() {
  const target = join(llamaDir, "addon", "compresskv");
  mkdirSync(target, { recursive: true });
  const ours = new Set(readdirSync(ourSourcesDir));
  for (const name of readdirSync(target)) if (!ours.has(name)) rmSync(join(target, name));
  let copied = 0;
  for (const name of ours) {
    const content = readFileSync(join(ourSourcesDir, name));
    const path = join(target, name);
    if (existsSync(path) && readFileSync(path).equals(content)) continue;
    writeFileSync(path, content);
    copied++;
  }
  return copied;
}

/** The local build of this backend, if node-llama-cpp finished one. */
function existingBuild(gpu) {
  const folder = readJson(lastBuildFile)?.folderName;
  if (!folder) return undefined;
  const dir = join(localBuildsDir, folder);
  const metadata = readJson(join(dir, "Release", "_nlcBuildMetadata.json"));
  if (!existsSync(join(dir, "buildDone.status")) || metadata?.buildOptions?.gpu !== gpu) return undefined;
  return { folder, dir };
}

function cacheDirFor(gpu, nlcVersion) {
  return join(cacheRoot, `${process.platform}-${process.arch}-${gpu || "cpu"}-nlc${nlcVersion}`);
}

/**
 * Copies a folder with its timestamps to the nanosecond: ninja compares them exactly, and Node's
 * cpSync rounds them, which would make ninja rebuild everything.
 */
function copyTree(from, to) {
  mkdirSync(to, { recursive: true });
  if (process.platform === "win32") cpSync(from, to, { recursive: true, preserveTimestamps: true });
  else run("cp", ["-a", `${from}/.`, to]);
}

function saveToCache(build, gpu, nlcVersion) {
  const started = Date.now();
  const dir = cacheDirFor(gpu, nlcVersion);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyTree(llamaCppDir, join(dir, "llama.cpp"));
  copyTree(join(llamaDir, "addon"), join(dir, "addon"));
  copyTree(build.dir, join(dir, "build"));
  writeFileSync(join(dir, "folder.json"), JSON.stringify({ folderName: build.folder }));
  log(`saved the build to ${dir.slice(projectRoot.length + 1)} for the next npm ci (${seconds(started)})`);
}

/** Puts a cached llama.cpp source and build back, timestamps kept so ninja sees them up to date. */
function restoreFromCache(gpu, nlcVersion) {
  const dir = cacheDirFor(gpu, nlcVersion);
  const folder = readJson(join(dir, "folder.json"))?.folderName;
  if (!folder || !existsSync(join(dir, "build", "buildDone.status"))) return undefined;
  const started = Date.now();
  rmSync(llamaCppDir, { recursive: true, force: true });
  copyTree(join(dir, "llama.cpp"), llamaCppDir);
  copyTree(join(dir, "addon"), join(llamaDir, "addon"));
  copyTree(join(dir, "build"), join(localBuildsDir, folder));
  writeFileSync(lastBuildFile, JSON.stringify({ folderName: folder }, null, 4));
  log(`restored the llama.cpp build from ${dir.slice(projectRoot.length + 1)} (${seconds(started)})`);
  return { folder, dir: join(localBuildsDir, folder) };
}

function fullBuild(gpu) {
  if (!existsSync(join(llamaCppDir, "CMakeLists.txt"))) {
    log("getting the llama.cpp source from node-llama-cpp's bundled release (offline)");
    nodeLlamaCpp(["source", "download", "--skipBuild", "--noUsageExample"]);
  }
  installSources();
  patchAddon(join(llamaDir, "addon"));
  log(`building llama.cpp and the addon (backend: ${gpu || "cpu"}); this takes several minutes`);
  nodeLlamaCpp(["source", "build", "--gpu", String(gpu), "--noUsageExample"]);
  return existingBuild(gpu);
}

/** Rebuilds only the addon target; cmake re-runs first so new source files join the glob. */
function addonBuild(build) {
  const cmake =
    /CMAKE_COMMAND:INTERNAL=(.*)/.exec(readFileSync(join(build.dir, "CMakeCache.txt"), "utf8"))?.[1] ?? "cmake";
  run(cmake, [build.dir], { quiet: true });
  run(cmake, ["--build", build.dir, "--config", "Release", "--target", "llama-addon"]);
}

/** The addon-only rebuild, or undefined (and a note) when it fails, so that a full build follows. */
function rebuildAddon(build) {
  const started = Date.now();
  try {
    addonBuild(build);
    log(`addon rebuilt (${seconds(started)})`);
    return build;
  } catch (error) {
    log(`the addon-only rebuild failed (${error.message}); falling back to a full build`);
    return undefined;
  }
}

/** Loads the build in a child process and returns the probe's ABI version (null when absent). */
function loadedProbeVersion() {
  const script = `
    import { getLlama, LlamaLogLevel } from "node-llama-cpp";
    const llama = await getLlama("lastBuild", { logLevel: LlamaLogLevel.error });
    const info = llama._bindings.compresskvProbeInfo?.();
    console.log(JSON.stringify({ abiVersion: info?.abiVersion ?? null, gpu: llama.gpu }));
    await llama.dispose();`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: projectRoot,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`loading node-llama-cpp failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop());
}

function expectedAbiVersion() {
  const header = readFileSync(join(ourSourcesDir, "probe-state.h"), "utf8");
  return Number(/probeAbiVersion = (\d+)/.exec(header)?.[1]);
}

export function setupNative() {
  const started = Date.now();
  if (process.env.COMPRESSKV_SKIP_NATIVE === "1") {
    log("COMPRESSKV_SKIP_NATIVE=1: not building the attention probe (attention-guided methods will be unavailable)");
    return true;
  }
  try {
    if (!existsSync(nlcDir)) throw new Error("node-llama-cpp is not installed");
    const nlcVersion = readJson(join(nlcDir, "package.json")).version;
    const { gpu, why } = chooseBackend(process.env.COMPRESSKV_GPU);
    log(`node-llama-cpp ${nlcVersion}; backend ${gpu || "cpu"} (${why})`);
    const hash = sourcesHash(nlcVersion);

    const ci = !["", "0", "false"].includes((process.env.CI ?? "").toLowerCase());
    let build = existingBuild(gpu) ?? (ci ? undefined : restoreFromCache(gpu, nlcVersion));
    let built = false;
    if (build) {
      // Always re-applied (a no-op when in place), so the addon folder never drifts from the binary.
      const copied = installSources();
      const patched = patchAddon(join(llamaDir, "addon"));
      const stamp = readJson(join(build.dir, STAMP));
      if (stamp?.hash === hash && copied === 0 && patched.length === 0) {
        log("the patched addon is up to date");
      } else {
        log(
          `the addon sources changed (${copied} file(s) copied, ${patched.length} file(s) patched): rebuilding the addon only`,
        );
        build = rebuildAddon(build);
        built = true;
      }
    }
    if (!build) {
      const step = Date.now();
      build = fullBuild(gpu);
      if (!build) throw new Error("node-llama-cpp reported success but left no finished build");
      built = true;
      log(`full build done (${seconds(step)})`);
    }
    writeFileSync(join(build.dir, STAMP), JSON.stringify({ hash, gpu, builtAt: new Date().toISOString() }, null, 2));
    if (!ci && (built || !existsSync(cacheDirFor(gpu, nlcVersion)))) saveToCache(build, gpu, nlcVersion);

    const loaded = loadedProbeVersion();
    if (loaded.abiVersion !== expectedAbiVersion()) {
      throw new Error(
        `the loaded binary (gpu: ${loaded.gpu}) reports probe ABI ${loaded.abiVersion}, expected ${expectedAbiVersion()}`,
      );
    }
    log(
      `verified: node-llama-cpp loads the patched addon (gpu: ${loaded.gpu}, probe ABI ${loaded.abiVersion}); total ${seconds(started)}`,
    );
    return true;
  } catch (error) {
    const bar = "!".repeat(78);
    console.warn(
      `\n${bar}\n[compresskv setup] WARNING: the attention probe could not be built.\n` +
        `  ${String(error?.message ?? error)
          .split("\n")
          .join("\n  ")}\n` +
        "  The app still runs, but methods that need attention (CompressKV, SnapKV, PyramidKV) are\n" +
        "  unavailable and will say so. Fix the cause and run `node scripts/setup.mjs` again.\n" +
        `${bar}\n`,
    );
    return false;
  }
}
