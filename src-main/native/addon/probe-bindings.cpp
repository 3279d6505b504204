// The JavaScript face of the probe. Every function takes node-llama-cpp's native context object
// (LlamaContext._ctx) first; the probe state hangs off its llama_context_params.

#include <algorithm>
#include <memory>
#include <string>

#include "../AddonContext.h"
#include "llama-context.h"
#include "llama-kv-cache.h"
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

llama_kv_cache& kvCacheOf(const Napi::CallbackInfo& info) {
    auto* cache = dynamic_cast<llama_kv_cache*>(llama_get_memory(contextArgument(info)->ctx));
    if (cache == nullptr) {
        throw Napi::Error::New(info.Env(), "the context's memory is not a plain KV cache (SWA, hybrid or recurrent model)");
    }
    return *cache;
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

// info: (context) -> the ABI version this build speaks and whether the context runs flash attention.
Napi::Value probeInfo(const Napi::CallbackInfo& info) {
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("abiVersion", compresskv::probeAbiVersion);
    if (info.Length() > 0 && info[0].IsObject()) {
        AddonContext* context = contextArgument(info);
        out.Set("flashAttention", context->ctx->get_cparams().flash_attn);
        out.Set("callbackInstalled", context->context_params.cb_eval == compresskv::observeGraphNode);
        out.Set("plainKvCache", dynamic_cast<llama_kv_cache*>(llama_get_memory(context->ctx)) != nullptr);
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

// (context, sequenceId) -> Int32Array over all cells: the position each cell holds for the sequence,
// or -1 when the cell is empty or belongs to other sequences only.
Napi::Value cellPositions(const Napi::CallbackInfo& info) {
    const llama_kv_cache& cache = kvCacheOf(info);
    const llama_seq_id sequence = info[1].As<Napi::Number>().Int32Value();
    const llama_kv_cells& cells = cache.get_cells(sequence);
    Napi::Int32Array out = Napi::Int32Array::New(info.Env(), cells.size());
    for (uint32_t i = 0; i < cells.size(); i++) {
        out[i] = !cells.is_empty(i) && cells.seq_has(i, sequence) ? cells.pos_get(i) : -1;
    }
    return out;
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
    });
}
