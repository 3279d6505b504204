import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

export default defineConfig({
  main: {
    build: {
      lib: { entry: resolve("src-main/index.ts") },
    },
  },
  preload: {
    build: {
      lib: { entry: resolve("src-main/preload/index.ts"), formats: ["cjs"] },
      rolldownOptions: { output: { format: "cjs", entryFileNames: "[name].cjs" } },
    },
  },
  renderer: {
    root: resolve("src-renderer"),
    build: {
      minify: true,
      rolldownOptions: { input: resolve("src-renderer/index.html") },
    },
    plugins: [react()],
  },
});
