// Chooses the llama.cpp backend to build: COMPRESSKV_GPU when set, otherwise one whose GPU and
// toolchain are both present (a CUDA toolkit without an NVIDIA GPU would only cost a long build).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

function succeeds(command, args) {
  const result = spawnSync(command, args, { stdio: "ignore", timeout: 15_000 });
  return result.status === 0;
}

function outputOf(command, args) {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 15_000 });
  return result.status === 0 ? result.stdout : "";
}

function hasNvcc() {
  const homes = [process.env.CUDA_PATH, process.env.CUDA_HOME, "/usr/local/cuda"].filter(Boolean);
  return succeeds("nvcc", ["--version"]) || homes.some((home) => existsSync(join(home, "bin", "nvcc")));
}

function detect() {
  if (process.platform === "darwin") return { gpu: "metal", why: "macOS" };
  if (/GPU \d+:/.test(outputOf("nvidia-smi", ["-L"]))) {
    if (hasNvcc()) return { gpu: "cuda", why: "NVIDIA GPU and CUDA toolkit found" };
  }
  if (/deviceName/.test(outputOf("vulkaninfo", ["--summary"])) && succeeds("glslc", ["--version"])) {
    return { gpu: "vulkan", why: "Vulkan device and glslc found" };
  }
  return { gpu: false, why: "no GPU with a toolchain found" };
}

/**
 * @param {string | undefined} setting COMPRESSKV_GPU
 * @returns {{gpu: false | "cuda" | "vulkan" | "metal", why: string}}
 */
export function chooseBackend(setting) {
  const value = (setting ?? "auto").trim().toLowerCase();
  if (value === "" || value === "auto") return detect();
  if (value === "false" || value === "cpu" || value === "0") return { gpu: false, why: "COMPRESSKV_GPU" };
  if (value === "cuda" || value === "vulkan" || value === "metal") return { gpu: value, why: "COMPRESSKV_GPU" };
  throw new Error(`COMPRESSKV_GPU must be auto, cuda, vulkan, metal or false, not "${setting}"`);
}
