#pragma once

#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "ggml.h"

namespace compresskv {

// Bumped whenever the JavaScript-facing functions change shape; the TypeScript side checks it.
constexpr int32_t probeAbiVersion = 2;

struct LayerHeads {
    int32_t layer = 0;
    std::vector<int32_t> heads;  // query heads
};

enum class CaptureMode { off, windowSum, rows };

struct CaptureRequest {
    CaptureMode mode = CaptureMode::off;
    std::vector<LayerHeads> layers;
    // Query rows whose position lies in [firstPosition, endPosition) are captured.
    int32_t firstPosition = 0;
    int32_t endPosition = std::numeric_limits<int32_t>::max();
    // Also copy each captured layer's V cache (rows mode), for attention outputs over chosen cells.
    bool values = false;
};

// One query row of one layer: probabilities of the captured heads, [head][cell].
struct CapturedRow {
    int32_t position = 0;
    uint32_t cells = 0;
    std::vector<float> probabilities;
};

// V of one layer as [cell][kvHead][dim], over the cells the last evaluation saw.
struct CapturedValues {
    uint32_t cells = 0;
    uint32_t kvHeads = 0;
    uint32_t headDim = 0;
    std::vector<float> data;
};

struct LayerCapture {
    // windowSum: per captured head, probabilities summed over the window rows, indexed by cell.
    std::vector<std::vector<float>> sums;
    // rows: every captured row in evaluation order.
    std::vector<CapturedRow> rows;
    CapturedValues values;
};

struct Capture {
    std::vector<LayerCapture> layers;  // parallel to CaptureRequest::layers
    std::vector<int32_t> rowPositions; // positions of the rows captured (each once)
};

// A run of consecutive masked cells.
struct CellRun {
    uint32_t start = 0;
    uint32_t length = 0;
};

// Per-context state, reached from the eval callback through cb_eval_user_data.
struct ProbeState {
    std::mutex mutex;
    CaptureRequest request;
    Capture capture;
    std::vector<std::vector<CellRun>> maskedRuns;  // indexed by layer
    std::string error;                             // first failure seen inside the callback
};

// The cb_eval callback: serves capture and masking for the state in user_data.
bool observeGraphNode(ggml_tensor* tensor, bool ask, void* userData);

}  // namespace compresskv
