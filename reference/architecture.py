"""What differs between the model families the reference runs, read from a GGUF's metadata.

Written from the model papers and llama.cpp's graph definitions (src/models/llama.cpp, gemma3.cpp,
qwen2.cpp), not from the app's code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gguf_weights import GgufWeights


@dataclass(frozen=True)
class Architecture:
    name: str
    layers: int
    embedding: int
    heads: int
    kv_heads: int
    head_dim: int
    rms_epsilon: float
    vocab: int
    # RoPE: "adjacent" rotates (x[2i], x[2i+1]) (llama.cpp's NORM type), "halves" rotates
    # (x[i], x[i + d/2]) (NEOX type: Gemma, Qwen2).
    rope_pairs: str
    rope_base: tuple[float, ...]  # per layer
    # Keys a query at position p sees: p - window < key <= p; None: every earlier key.
    sliding_window: tuple[int | None, ...]  # per layer
    attention_scale: float
    embedding_scale: float  # multiplies the token embedding (Gemma: sqrt(embedding))
    activation: str  # "silu" (SwiGLU) or "gelu_tanh" (GeGLU)
    qk_norm: bool  # RMSNorm on each head's q and k before RoPE (Gemma 3)
    post_norms: bool  # RMSNorm after attention and after the FFN, before the residual add (Gemma 2/3)
    final_logit_softcap: float  # 0: none


def read_architecture(weights: GgufWeights) -> Architecture:
    arch = weights.architecture
    layers = int(weights.arch_metadata("block_count"))
    embedding = int(weights.arch_metadata("embedding_length"))
    heads = int(weights.arch_metadata("attention.head_count"))
    kv_heads = int(weights.arch_metadata("attention.head_count_kv", heads))
    head_dim = int(weights.arch_metadata("attention.key_length", embedding // heads))
    epsilon = float(weights.arch_metadata("attention.layer_norm_rms_epsilon"))
    vocab = weights.tensor_shape("token_embd.weight")[0]
    base = float(weights.arch_metadata("rope.freq_base", 10000.0))
    scaling = weights.arch_metadata("rope.scaling.type", "none")
    if scaling not in ("none", "linear") or float(weights.arch_metadata("rope.scaling.factor", 1.0)) != 1.0:
        raise NotImplementedError(f"RoPE scaling {scaling} is not modelled")

    common = dict(
        name=arch, layers=layers, embedding=embedding, heads=heads, kv_heads=kv_heads, head_dim=head_dim,
        rms_epsilon=epsilon, vocab=vocab,
    )  # fmt: skip
    if arch in ("llama", "qwen2"):
        # Qwen2 differs from llama only in its q/k/v biases (forward.py adds any bias the file has)
        # and in rotating halves.
        return Architecture(
            **common, rope_pairs="adjacent" if arch == "llama" else "halves", rope_base=(base,) * layers,
            sliding_window=(None,) * layers, attention_scale=1 / math.sqrt(head_dim), embedding_scale=1.0,
            activation="silu", qk_norm=False, post_norms=False, final_logit_softcap=0.0,
        )  # fmt: skip
    if arch == "gemma3":
        window = int(weights.arch_metadata("attention.sliding_window", 0))
        # Gemma 3: five local (sliding-window) layers, then one global layer. The local layers use
        # RoPE base 10,000, the global ones the file's base (1e6).
        period = int(weights.arch_metadata("attention.sliding_window_pattern", 6))
        local = [window > 0 and (layer % period) < period - 1 for layer in range(layers)]
        local_base = float(weights.arch_metadata("rope.freq_base_swa", 10000.0))
        if layers == 62:  # the 27B model scales queries by the model width over heads, the others by head_dim
            scale = 1 / math.sqrt(embedding / heads)
        else:
            scale = 1 / math.sqrt(head_dim)
        return Architecture(
            **common, rope_pairs="halves",
            rope_base=tuple(local_base if is_local else base for is_local in local),
            sliding_window=tuple(window if is_local else None for is_local in local),
            attention_scale=scale, embedding_scale=math.sqrt(embedding), activation="gelu_tanh",
            qk_norm=True, post_norms=True,
            final_logit_softcap=float(weights.arch_metadata("final_logit_softcapping", 0.0) or 0.0),
        )  # fmt: skip
    raise NotImplementedError(f"architecture {arch} is not modelled (llama, qwen2, gemma3 are)")
