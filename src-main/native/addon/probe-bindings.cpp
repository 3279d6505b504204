// The JavaScript face of the probe. Every function takes node-llama-cpp's native context object
// (LlamaContext._ctx) first; the probe state hangs off its llama_context_params.

#include <algorithm>
#include <memory>
#include <string>

#include "../AddonContext.h"
#include "llama-context.h"
#include "llama-kv-cache-iswa.h"
#include "llama-kv-cache.h"
#include "llama-model.h"
#include "probe-hooks.h"
#include "probe-state.h"

using compresskv::CaptureMode;
using compresskv::ProbeState;

void compresskvProbeInstall(llama_context_params& params) {
    params.cb_eval = compresskv::observeGraphNode;
    params.cb_eval_user_data = new ProbeState();
}

void compresskvProbeRelease(llama_context_params& params) {
    if (params.cb_eval != compresskv::observeGraphNode) return;
    delete static_cast<ProbeState*>(params.cb_eval_user_data);
    params.cb_eval = nullptr;
    params.cb_eval_user_data = nullptr;
}

namespace {

AddonContext* contextArgument(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsObject()) {
        throw Napi::TypeError::New(info.Env(), "expected a native context object");
    }
    AddonContext* context = Napi::ObjectWrap<AddonContext>::Unwrap(info[0].As<Napi::Object>());
    if (context == nullptr || context->disposed || context->ctx == nullptr) {
        throw Napi::Error::New(info.Env(), "the context is not loaded or was disposed");
    }
    return context;
}

ProbeState& stateOf(const Napi::CallbackInfo& info) {
    AddonContext* context = contextArgument(info);
    if (context->context_params.cb_eval != compresskv::observeGraphNode) {
        throw Napi::Error::New(info.Env(), "this context was created without the probe callback");
    }
    return *static_cast<ProbeState*>(context->context_params.cb_eval_user_data);
}

// The context's memory as the probe sees it: a plain KV cache, or an interleaved sliding-window pair
// (global layers in `global`, window layers in `window`); anything else (hybrid, recurrent) is neither.
struct MemoryLayout {
    llama_kv_cache* global = nullptr;
    llama_kv_cache* window = nullptr;
};

MemoryLayout memoryLayoutOf(llama_context* ctx) {
    llama_memory_i* memory = llama_get_memory(ctx);
    if (auto* plain = dynamic_cast<llama_kv_cache*>(memory)) return {plain, nullptr};
    if (auto* iswa = dynamic_cast<llama_kv_cache_iswa*>(memory)) return {iswa->get_base(), iswa->get_swa()};
    return {};
}

const char* memoryKindOf(const MemoryLayout& layout) {
    if (layout.global == nullptr) return "other";
    return layout.window == nullptr ? "plain" : "sliding-window";
}

MemoryLayout servedLayoutOf(const Napi::CallbackInfo& info) {
    const MemoryLayout layout = memoryLayoutOf(contextArgument(info)->ctx);
    if (layout.global == nullptr) {
        throw Napi::Error::New(info.Env(),
                               "the context's memory is neither a KV cache nor a sliding-window pair of them "
                               "(hybrid or recurrent model)");
    }
    return layout;
}

// "global" (default): the cache of the global layers (the only one of a plain model); "window": the
// cache of the sliding-window layers.
llama_kv_cache& kvCacheArgument(const Napi::CallbackInfo& info, size_t index) {
    const MemoryLayout layout = servedLayoutOf(info);
    const std::string which = info.Length() > index && info[index].IsString() ? info[index].As<Napi::String>().Utf8Value() : "global";
    if (which == "global") return *layout.global;
    if (which != "window") throw Napi::TypeError::New(info.Env(), "unknown cache \"" + which + "\" (global or window)");
    if (layout.window == nullptr) throw Napi::Error::New(info.Env(), "this model has no sliding-window cache");
    return *layout.window;
}

std::vector<int32_t> int32List(const Napi::Value& value) {
    std::vector<int32_t> out;
    if (!value.IsArray()) return out;
    const Napi::Array array = value.As<Napi::Array>();
    for (uint32_t i = 0; i < array.Length(); i++) out.push_back(array.Get(i).As<Napi::Number>().Int32Value());
    return out;
}

CaptureMode parseMode(const Napi::Env& env, const std::string& mode) {
    if (mode == "off") return CaptureMode::off;
    if (mode == "windowSum") return CaptureMode::windowSum;
    if (mode == "rows") return CaptureMode::rows;
    throw Napi::TypeError::New(env, "unknown capture mode \"" + mode + "\"");
}

Napi::Float32Array float32Array(const Napi::Env& env, const std::vector<float>& values) {
    Napi::Float32Array array = Napi::Float32Array::New(env, values.size());
    std::copy(values.begin(), values.end(), array.Data());
    return array;
}

// info: (context) -> the ABI version this build speaks and, for a context: whether it runs flash
// attention, whether the callback is installed, its memory kind ("plain", "sliding-window", "other"),
// its layer count and, for a sliding-window model, which layers read the window cache and its width.
Napi::Value probeInfo(const Napi::CallbackInfo& info) {
    const Napi::Env env = info.Env();
    Napi::Object out = Napi::Object::New(env);
    out.Set("abiVersion", compresskv::probeAbiVersion);
    if (info.Length() > 0 && info[0].IsObject()) {
        AddonContext* context = contextArgument(info);
        out.Set("flashAttention", context->ctx->get_cparams().flash_attn);
        out.Set("callbackInstalled", context->context_params.cb_eval == compresskv::observeGraphNode);
        const MemoryLayout layout = memoryLayoutOf(context->ctx);
        out.Set("memory", memoryKindOf(layout));
        const llama_model* model = llama_get_model(context->ctx);
        const int32_t layers = llama_model_n_layer(model);
        out.Set("layers", layers);
        std::vector<int32_t> windowLayers;
        if (layout.window != nullptr) {
            for (int32_t il = 0; il < layers; il++) {
                if (model->hparams.is_swa(il)) windowLayers.push_back(il);
            }
            out.Set("windowSize", model->hparams.n_swa);
        }
        Napi::Int32Array windowLayerArray = Napi::Int32Array::New(env, windowLayers.size());
        std::copy(windowLayers.begin(), windowLayers.end(), windowLayerArray.Data());
        out.Set("windowLayers", windowLayerArray);
    }
    return out;
}

// (context, {mode, layers: [{layer, heads}], firstPosition, endPosition, values}): arms the next
// evaluations and drops anything captured before.
Napi::Value setCapture(const Napi::CallbackInfo& info) {
    ProbeState& state = stateOf(info);
    const Napi::Object options = info[1].As<Napi::Object>();
    compresskv::CaptureRequest request;
    request.mode = parseMode(info.Env(), options.Get("mode").As<Napi::String>().Utf8Value());
    if (options.Has("layers")) {
        const Napi::Array layers = options.Get("layers").As<Napi::Array>();
        for (uint32_t i = 0; i < layers.Length(); i++) {
            const Napi::Object layer = layers.Get(i).As<Napi::Object>();
            request.layers.push_back({layer.Get("layer").As<Napi::Number>().Int32Value(), int32List(layer.Get("heads"))});
        }
    }
    if (options.Has("firstPosition")) request.firstPosition = options.Get("firstPosition").As<Napi::Number>().Int32Value();
    if (options.Has("endPosition")) request.endPosition = options.Get("endPosition").As<Napi::Number>().Int32Value();
    if (options.Has("values")) request.values = options.Get("values").As<Napi::Boolean>().Value();

    std::lock_guard<std::mutex> lock(state.mutex);
    state.capture = {};
    state.capture.layers.resize(request.layers.size());
    for (size_t i = 0; i < request.layers.size(); i++) {
        state.capture.layers[i].sums.resize(request.layers[i].heads.size());
    }
    state.request = std::move(request);
    state.error.clear();
    return info.Env().Undefined();
}

// (context) -> what was captured since setCapture (or the last take), which is then cleared.
Napi::Value takeCapture(const Napi::CallbackInfo& info) {
    ProbeState& state = stateOf(info);
    const Napi::Env env = info.Env();
    std::lock_guard<std::mutex> lock(state.mutex);
    Napi::Object out = Napi::Object::New(env);
    if (!state.error.empty()) out.Set("error", state.error);

    Napi::Int32Array rowPositions = Napi::Int32Array::New(env, state.capture.rowPositions.size());
    std::copy(state.capture.rowPositions.begin(), state.capture.rowPositions.end(), rowPositions.Data());
    out.Set("rowPositions", rowPositions);

    Napi::Array layers = Napi::Array::New(env, state.capture.layers.size());
    for (size_t i = 0; i < state.capture.layers.size(); i++) {
        compresskv::LayerCapture& captured = state.capture.layers[i];
        Napi::Object layer = Napi::Object::New(env);
        layer.Set("layer", state.request.layers[i].layer);

        Napi::Array sums = Napi::Array::New(env, captured.sums.size());
        for (size_t k = 0; k < captured.sums.size(); k++) {
            sums.Set(k, float32Array(env, captured.sums[k]));
            captured.sums[k].clear();
        }
        layer.Set("sums", sums);

        Napi::Array rows = Napi::Array::New(env, captured.rows.size());
        for (size_t r = 0; r < captured.rows.size(); r++) {
            Napi::Object row = Napi::Object::New(env);
            row.Set("position", captured.rows[r].position);
            row.Set("cells", captured.rows[r].cells);
            row.Set("probabilities", float32Array(env, captured.rows[r].probabilities));
            rows.Set(r, row);
        }
        layer.Set("rows", rows);
        captured.rows.clear();

        if (!captured.values.data.empty()) {
            Napi::Object values = Napi::Object::New(env);
            values.Set("cells", captured.values.cells);
            values.Set("kvHeads", captured.values.kvHeads);
            values.Set("headDim", captured.values.headDim);
            values.Set("data", float32Array(env, captured.values.data));
            layer.Set("values", values);
            captured.values = {};
        }
        layers.Set(i, layer);
    }
    out.Set("layers", layers);
    state.capture.rowPositions.clear();
    state.error.clear();
    return out;
}

// (context, layer, Uint32Array cells): the layer's softmax ignores these cells from now on; an empty
// list unmasks the layer.
Napi::Value setLayerMask(const Napi::CallbackInfo& info) {
    ProbeState& state = stateOf(info);
    const int32_t layer = info[1].As<Napi::Number>().Int32Value();
    const Napi::Uint32Array cellArray = info[2].As<Napi::Uint32Array>();
    if (layer < 0) throw Napi::RangeError::New(info.Env(), "layer must be >= 0");
    std::vector<uint32_t> cells(cellArray.Data(), cellArray.Data() + cellArray.ElementLength());
    std::sort(cells.begin(), cells.end());
    cells.erase(std::unique(cells.begin(), cells.end()), cells.end());

    std::vector<compresskv::CellRun> runs;
    for (uint32_t cell : cells) {
        if (!runs.empty() && runs.back().start + runs.back().length == cell) {
            runs.back().length++;
        } else {
            runs.push_back({cell, 1});
        }
    }
    std::lock_guard<std::mutex> lock(state.mutex);
    if (static_cast<size_t>(layer) >= state.maskedRuns.size()) state.maskedRuns.resize(layer + 1);
    state.maskedRuns[layer] = std::move(runs);
    return info.Env().Undefined();
}

// (context) -> unmasks every layer.
Napi::Value clearMasks(const Napi::CallbackInfo& info) {
    ProbeState& state = stateOf(info);
    std::lock_guard<std::mutex> lock(state.mutex);
    state.maskedRuns.clear();
    return info.Env().Undefined();
}

// (context, sequenceId, cache = "global" | "window") -> Int32Array over that cache's cells: the
// position each cell holds for the sequence, or -1 when the cell is empty or belongs to other sequences
// only. A layer's attention columns are the cells of the cache it reads.
Napi::Value cellPositions(const Napi::CallbackInfo& info) {
    const llama_kv_cache& cache = kvCacheArgument(info, 2);
    const llama_seq_id sequence = info[1].As<Napi::Number>().Int32Value();
    const llama_kv_cells& cells = cache.get_cells(sequence);
    Napi::Int32Array out = Napi::Int32Array::New(info.Env(), cells.size());
    for (uint32_t i = 0; i < cells.size(); i++) {
        out[i] = !cells.is_empty(i) && cells.seq_has(i, sequence) ? cells.pos_get(i) : -1;
    }
    return out;
}

// (context, sequenceId, start, end) -> frees positions [start, end) of the sequence in the global
// layers' cache only (the window cache keeps its window); nothing shifts. For a plain cache, the cache.
Napi::Value removeGlobalPositions(const Napi::CallbackInfo& info) {
    llama_kv_cache& cache = *servedLayoutOf(info).global;
    const llama_seq_id sequence = info[1].As<Napi::Number>().Int32Value();
    const llama_pos start = info[2].As<Napi::Number>().Int32Value();
    const llama_pos end = info[3].As<Napi::Number>().Int32Value();
    return Napi::Boolean::New(info.Env(), cache.seq_rm(sequence, start, end));
}

// (context, sequenceId, ranges: Int32Array of [start, end) pairs, ascending) -> frees those positions
// in every cache and shifts later positions down to close the gaps, the same in both caches of a
// sliding-window model (window positions removed here leave the window). K is re-rotated on the next
// evaluation. Returns false when llama.cpp refuses a removal (the cache is then left part-way).
Napi::Value removeCompacting(const Napi::CallbackInfo& info) {
    servedLayoutOf(info);
    llama_memory_t memory = llama_get_memory(contextArgument(info)->ctx);
    const llama_seq_id sequence = info[1].As<Napi::Number>().Int32Value();
    const Napi::Int32Array ranges = info[2].As<Napi::Int32Array>();
    if (ranges.ElementLength() % 2 != 0) throw Napi::TypeError::New(info.Env(), "ranges must be [start, end) pairs");
    llama_pos removed = 0;
    for (size_t i = 0; i < ranges.ElementLength(); i += 2) {
        const llama_pos start = ranges[i] - removed;
        const llama_pos end = ranges[i + 1] - removed;
        if (end <= start) continue;
        if (!llama_memory_seq_rm(memory, sequence, start, end)) return Napi::Boolean::New(info.Env(), false);
        llama_memory_seq_add(memory, sequence, end, -1, -(end - start));
        removed += end - start;
    }
    return Napi::Boolean::New(info.Env(), true);
}

}  // namespace

void compresskvProbeRegister(Napi::Env env, Napi::Object exports) {
    exports.DefineProperties({
        Napi::PropertyDescriptor::Function("compresskvProbeInfo", probeInfo),
        Napi::PropertyDescriptor::Function("compresskvProbeSetCapture", setCapture),
        Napi::PropertyDescriptor::Function("compresskvProbeTakeCapture", takeCapture),
        Napi::PropertyDescriptor::Function("compresskvProbeSetLayerMask", setLayerMask),
        Napi::PropertyDescriptor::Function("compresskvProbeClearMasks", clearMasks),
        Napi::PropertyDescriptor::Function("compresskvProbeCellPositions", cellPositions),
        Napi::PropertyDescriptor::Function("compresskvProbeRemoveGlobalPositions", removeGlobalPositions),
        Napi::PropertyDescriptor::Function("compresskvProbeRemoveCompacting", removeCompacting),
    });
}
