// The eval callback: llama.cpp's scheduler asks it about every graph node (ask=true) and, for the
// nodes it claims, calls it again once the node is computed (ask=false). With flash attention off a
// layer's attention is three named nodes: kq-<il> (logits), kq_soft_max-<il> (probabilities) and
// kqv-<il> (probabilities times V, whose src[0] is the V cache view). Tensors may live on a GPU, so
// every access goes through ggml_backend_tensor_get/set.

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "ggml-backend.h"
#include "probe-state.h"

namespace compresskv {

namespace {

enum class NodeKind { other, logits, probabilities, output };

struct AttentionNode {
    NodeKind kind = NodeKind::other;
    int32_t layer = -1;
};

AttentionNode classifyNode(const char* name) {
    const char* dash = std::strrchr(name, '-');
    if (dash == nullptr || dash[1] == '\0') return {};
    char* end = nullptr;
    const long layer = std::strtol(dash + 1, &end, 10);
    if (*end != '\0' || layer < 0) return {};

    const std::string prefix(name, dash - name);
    if (prefix == "kq") return {NodeKind::logits, static_cast<int32_t>(layer)};
    if (prefix == "kq_soft_max") return {NodeKind::probabilities, static_cast<int32_t>(layer)};
    if (prefix == "kqv") return {NodeKind::output, static_cast<int32_t>(layer)};
    return {};
}

int requestSlot(const CaptureRequest& request, int32_t layer) {
    if (request.mode == CaptureMode::off) return -1;
    for (size_t i = 0; i < request.layers.size(); i++) {
        if (request.layers[i].layer == layer) return static_cast<int>(i);
    }
    return -1;
}

bool hasMask(const ProbeState& state, int32_t layer) {
    return layer < static_cast<int32_t>(state.maskedRuns.size()) && !state.maskedRuns[layer].empty();
}

// The query rows' positions: the rope feeding Q takes them as its second source.
const ggml_tensor* findRope(const ggml_tensor* tensor, int depth) {
    if (tensor == nullptr || depth > 8) return nullptr;
    if (tensor->op == GGML_OP_ROPE) return tensor;
    for (const ggml_tensor* source : tensor->src) {
        if (const ggml_tensor* rope = findRope(source, depth + 1)) return rope;
    }
    return nullptr;
}

std::vector<int32_t> readRowPositions(const ggml_tensor* probabilities, int64_t rows) {
    const ggml_tensor* rope = findRope(probabilities, 0);
    if (rope == nullptr || rope->src[1] == nullptr || rope->src[1]->type != GGML_TYPE_I32 ||
        rope->src[1]->ne[0] < rows) {
        throw std::runtime_error("could not find the query positions of " + std::string(probabilities->name));
    }
    std::vector<int32_t> positions(rows);
    ggml_backend_tensor_get(rope->src[1], positions.data(), 0, rows * sizeof(int32_t));
    return positions;
}

void requireF32(const ggml_tensor* tensor) {
    if (tensor->type != GGML_TYPE_F32) throw std::runtime_error(std::string(tensor->name) + " is not F32");
    if (tensor->ne[3] != 1) {
        throw std::runtime_error("several KV streams are not supported (use one sequence or a unified KV cache)");
    }
}

// Sets the logits of masked cells to -inf, one head plane at a time (one read and one write per head).
void maskLogits(const std::vector<CellRun>& runs, ggml_tensor* logits) {
    requireF32(logits);
    if (!ggml_is_contiguous(logits)) throw std::runtime_error(std::string(logits->name) + " is not contiguous");
    const int64_t cells = logits->ne[0];
    const int64_t rows = logits->ne[1];
    const int64_t heads = logits->ne[2];
    const size_t planeBytes = logits->nb[2];
    std::vector<float> plane(planeBytes / sizeof(float));
    const float negativeInfinity = -std::numeric_limits<float>::infinity();

    for (int64_t head = 0; head < heads; head++) {
        ggml_backend_tensor_get(logits, plane.data(), head * planeBytes, planeBytes);
        for (int64_t row = 0; row < rows; row++) {
            float* values = plane.data() + row * (logits->nb[1] / sizeof(float));
            for (const CellRun& run : runs) {
                if (run.start >= cells) break;
                const int64_t end = std::min<int64_t>(cells, int64_t(run.start) + run.length);
                std::fill(values + run.start, values + end, negativeInfinity);
            }
        }
        ggml_backend_tensor_set(logits, plane.data(), head * planeBytes, planeBytes);
    }
}

void captureProbabilities(ProbeState& state, int slot, const ggml_tensor* probabilities) {
    requireF32(probabilities);
    const int64_t cells = probabilities->ne[0];
    const int64_t rows = probabilities->ne[1];
    const int64_t heads = probabilities->ne[2];
    const CaptureRequest& request = state.request;
    const LayerHeads& wanted = request.layers[slot];
    LayerCapture& out = state.capture.layers[slot];
    const std::vector<int32_t> positions = readRowPositions(probabilities, rows);
    std::vector<float> row(cells);

    for (int64_t r = 0; r < rows; r++) {
        const int32_t position = positions[r];
        if (position < request.firstPosition || position >= request.endPosition) continue;
        if (slot == 0) state.capture.rowPositions.push_back(position);

        CapturedRow captured{position, static_cast<uint32_t>(cells), {}};
        if (request.mode == CaptureMode::rows) captured.probabilities.resize(wanted.heads.size() * cells);

        for (size_t k = 0; k < wanted.heads.size(); k++) {
            const int32_t head = wanted.heads[k];
            if (head < 0 || head >= heads) {
                throw std::runtime_error("head " + std::to_string(head) + " out of range in " + probabilities->name);
            }
            ggml_backend_tensor_get(probabilities, row.data(), head * probabilities->nb[2] + r * probabilities->nb[1],
                                    cells * sizeof(float));
            if (request.mode == CaptureMode::windowSum) {
                std::vector<float>& sums = out.sums[k];
                if (static_cast<int64_t>(sums.size()) < cells) sums.resize(cells, 0.0f);
                for (int64_t c = 0; c < cells; c++) sums[c] += row[c];
            } else {
                std::copy(row.begin(), row.end(), captured.probabilities.begin() + k * cells);
            }
        }
        if (request.mode == CaptureMode::rows) out.rows.push_back(std::move(captured));
    }
}

// Copies V, seen by kqv-<il> as src[0] with shape [cells, headDim, kvHeads], into [cell][kvHead][dim].
void captureValues(LayerCapture& out, const ggml_tensor* output) {
    const ggml_tensor* v = output->src[0];
    const bool isF32 = v->type == GGML_TYPE_F32;
    const ggml_type_traits* traits = ggml_get_type_traits(v->type);
    if ((!isF32 && traits->to_float == nullptr) || ggml_blck_size(v->type) != 1 || v->nb[0] != ggml_type_size(v->type)) {
        throw std::runtime_error(std::string("cannot read the V cache of ") + output->name);
    }
    if (v->ne[3] != 1) throw std::runtime_error("several KV streams are not supported");
    const int64_t cells = v->ne[0];
    const int64_t headDim = v->ne[1];
    const int64_t kvHeads = v->ne[2];
    const size_t rowBytes = ggml_row_size(v->type, cells);

    CapturedValues& values = out.values;
    values.cells = cells;
    values.kvHeads = kvHeads;
    values.headDim = headDim;
    values.data.assign(cells * kvHeads * headDim, 0.0f);
    std::vector<uint8_t> raw(rowBytes);
    std::vector<float> row(cells);
    for (int64_t kvHead = 0; kvHead < kvHeads; kvHead++) {
        for (int64_t d = 0; d < headDim; d++) {
            ggml_backend_tensor_get(v, raw.data(), kvHead * v->nb[2] + d * v->nb[1], rowBytes);
            if (isF32) {
                std::memcpy(row.data(), raw.data(), rowBytes);
            } else {
                traits->to_float(raw.data(), row.data(), cells);
            }
            for (int64_t c = 0; c < cells; c++) values.data[(c * kvHeads + kvHead) * headDim + d] = row[c];
        }
    }
}

// Inputs are set before a split runs, so the positions can be read before the node is computed:
// micro-batches with no row in the window are then left unsplit.
bool hasRowInWindow(const CaptureRequest& request, const ggml_tensor* probabilities) {
    try {
        for (int32_t position : readRowPositions(probabilities, probabilities->ne[1])) {
            if (position >= request.firstPosition && position < request.endPosition) return true;
        }
        return false;
    } catch (const std::exception&) {
        return true;  // let the observation report it
    }
}

bool wants(ProbeState& state, const AttentionNode& node, const ggml_tensor* tensor) {
    switch (node.kind) {
        case NodeKind::logits:
            return hasMask(state, node.layer);
        case NodeKind::probabilities:
            if (hasMask(state, node.layer) && state.error.empty()) {
                const AttentionNode source = tensor->src[0] ? classifyNode(tensor->src[0]->name) : AttentionNode{};
                if (source.kind != NodeKind::logits || source.layer != node.layer) {
                    state.error = std::string("masking needs kq to feed the softmax directly, not so in ") + tensor->name;
                }
            }
            return requestSlot(state.request, node.layer) >= 0 && hasRowInWindow(state.request, tensor);
        case NodeKind::output:
            return state.request.mode == CaptureMode::rows && state.request.values &&
                   requestSlot(state.request, node.layer) >= 0;
        default:
            return false;
    }
}

void observe(ProbeState& state, const AttentionNode& node, ggml_tensor* tensor) {
    switch (node.kind) {
        case NodeKind::logits:
            if (hasMask(state, node.layer)) maskLogits(state.maskedRuns[node.layer], tensor);
            break;
        case NodeKind::probabilities: {
            const int slot = requestSlot(state.request, node.layer);
            if (slot >= 0) captureProbabilities(state, slot, tensor);
            break;
        }
        case NodeKind::output: {
            const int slot = requestSlot(state.request, node.layer);
            if (slot >= 0) captureValues(state.capture.layers[slot], tensor);
            break;
        }
        default:
            break;
    }
}

}  // namespace

bool observeGraphNode(ggml_tensor* tensor, bool ask, void* userData) {
    const AttentionNode node = classifyNode(tensor->name);
    if (node.kind == NodeKind::other) return !ask;

    ProbeState& state = *static_cast<ProbeState*>(userData);
    std::lock_guard<std::mutex> lock(state.mutex);
    if (ask) return wants(state, node, tensor);
    try {
        observe(state, node, tensor);
    } catch (const std::exception& e) {
        if (state.error.empty()) state.error = e.what();
    }
    return true;  // never abort the graph; failures are reported with the capture
}

}  // namespace compresskv
