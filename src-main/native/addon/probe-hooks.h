#pragma once

// The three entry points that node-llama-cpp's addon calls once patched (see ../setup/patch-addon.mjs).
// Everything else of the probe stays behind them.

#include "llama.h"
#include "napi.h"

// Gives a context being created its own probe state and installs the eval callback that serves it.
void compresskvProbeInstall(llama_context_params& params);

// Frees the probe state of a context whose llama_context is gone.
void compresskvProbeRelease(llama_context_params& params);

// Adds the probe functions to the addon's exports.
void compresskvProbeRegister(Napi::Env env, Napi::Object exports);
