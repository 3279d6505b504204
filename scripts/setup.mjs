// Run by `npm install` / `npm ci` (postinstall). Builds node-llama-cpp's addon with the attention
// probe; a failure is reported loudly but does not fail the install (the app then runs without it).
import { setupNative } from "../src-main/native/setup/setup-native.mjs";

setupNative();
