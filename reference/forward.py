"""A decoder-only transformer's forward pass in numpy (float32), written from the model papers.

Returns the attention probabilities of the last query rows in every layer and head, and the
next-token logits of the last position. Shares no code with the app: weights come from
gguf_weights.GgufWeights, hyperparameters from architecture.read_architecture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from architecture import Architecture
from gguf_weights import GgufWeights


@dataclass
class ForwardResult:
    # layer -> [heads, rows, n] probabilities of the query rows from `rows_from` on (n = token count).
    attention: dict[int, np.ndarray] = field(default_factory=dict)
    last_logits: np.ndarray | None = None


@dataclass(frozen=True)
class LayerMask:
    """Query rows at positions >= from_row of `layer` do not attend to `positions` (as if removed)."""

    layer: int
    from_row: int
    positions: tuple[int, ...]


def rms_norm(x: np.ndarray, weight: np.ndarray, epsilon: float) -> np.ndarray:
    mean_square = np.mean(np.square(x, dtype=np.float64), axis=-1, keepdims=True)
    return (x * (1.0 / np.sqrt(mean_square + epsilon)).astype(np.float32)) * weight


def rope_angles(positions: np.ndarray, head_dim: int, base: float) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin of position * base^(-2i/d), [n, d/2]; the frequencies are formed in float32 by
    repeated multiplication, as llama.cpp's CPU backend does (the angle's float32 rounding then matches)."""
    step = np.float32(base) ** np.float32(-2.0 / head_dim)
    angles = np.empty((positions.size, head_dim // 2), dtype=np.float32)
    theta = positions.astype(np.float32)
    for i in range(head_dim // 2):
        angles[:, i] = theta
        theta = theta * step
    return np.cos(angles), np.sin(angles)


def apply_rope(x: np.ndarray, cos: np.ndarray, sin: np.ndarray, pairs: str) -> np.ndarray:
    """x: [n, heads, d]. "adjacent" rotates (x[2i], x[2i+1]); "halves" rotates (x[i], x[i + d/2])."""
    c = cos[:, None, :]
    s = sin[:, None, :]
    if pairs == "adjacent":
        a, b = x[..., 0::2], x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2] = a * c - b * s
        out[..., 1::2] = a * s + b * c
        return out
    half = x.shape[-1] // 2
    a, b = x[..., :half], x[..., half:]
    return np.concatenate([a * c - b * s, a * s + b * c], axis=-1)


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(np.float32(np.sqrt(2.0 / np.pi)) * (x + np.float32(0.044715) * x * x * x)))


def silu(x: np.ndarray) -> np.ndarray:
    return x / (1.0 + np.exp(-x))


def attention_mask(n: int, window: int | None) -> np.ndarray:
    """True where query row r may attend to key c: c <= r, and r - c < window for a sliding window."""
    rows = np.arange(n)[:, None]
    keys = np.arange(n)[None, :]
    allowed = keys <= rows
    if window is not None:
        allowed &= rows - keys < window
    return allowed


class Transformer:
    def __init__(self, weights: GgufWeights, arch: Architecture, gelu_f16: bool = False) -> None:
        """gelu_f16: round GELU's input and output to float16, as llama.cpp's CPU backend (a float16
        lookup table) does; the exact function otherwise."""
        self.weights = weights
        self.arch = arch
        self.gelu_f16 = gelu_f16
        self.embedding = weights.tensor("token_embd.weight")
        self.output = weights.tensor("output.weight") if weights.has("output.weight") else self.embedding

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        out = x @ self.weights.tensor(f"{name}.weight").T
        if self.weights.has(f"{name}.bias"):
            out += self.weights.tensor(f"{name}.bias")
        return out

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return rms_norm(x, self.weights.tensor(f"{name}.weight"), self.arch.rms_epsilon)

    def _activation(self, gate: np.ndarray) -> np.ndarray:
        if self.arch.activation == "silu":
            return silu(gate)
        if self.gelu_f16:
            return gelu_tanh(gate.astype(np.float16).astype(np.float32)).astype(np.float16).astype(np.float32)
        return gelu_tanh(gate)

    def forward(self, tokens: list[int], rows_from: int, masks: tuple[LayerMask, ...] = ()) -> ForwardResult:
        arch = self.arch
        n = len(tokens)
        positions = np.arange(n)
        x = self.embedding[np.asarray(tokens)] * np.float32(arch.embedding_scale)
        result = ForwardResult()
        angles: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        group = arch.heads // arch.kv_heads
        for layer in range(arch.layers):
            prefix = f"blk.{layer}"
            h = self._norm(x, f"{prefix}.attn_norm")
            q = self._linear(h, f"{prefix}.attn_q").reshape(n, arch.heads, arch.head_dim)
            k = self._linear(h, f"{prefix}.attn_k").reshape(n, arch.kv_heads, arch.head_dim)
            v = self._linear(h, f"{prefix}.attn_v").reshape(n, arch.kv_heads, arch.head_dim)
            if arch.qk_norm:
                q = self._norm(q, f"{prefix}.attn_q_norm")
                k = self._norm(k, f"{prefix}.attn_k_norm")
            base = arch.rope_base[layer]
            if base not in angles:
                angles[base] = rope_angles(positions, arch.head_dim, base)
            cos, sin = angles[base]
            q = apply_rope(q, cos, sin, arch.rope_pairs) * np.float32(arch.attention_scale)
            k = apply_rope(k, cos, sin, arch.rope_pairs)

            blocked = ~attention_mask(n, arch.sliding_window[layer])
            for mask in masks:
                if mask.layer == layer:
                    blocked[mask.from_row :, list(mask.positions)] = True
            kept = np.empty((arch.heads, n - rows_from, n), dtype=np.float32)
            out = np.empty((n, arch.heads, arch.head_dim), dtype=np.float32)
            for head in range(arch.heads):
                kv = head // group
                p = q[:, head, :] @ k[:, kv, :].T
                np.putmask(p, blocked, -np.inf)
                p -= p.max(axis=1, keepdims=True)
                np.exp(p, out=p)
                p /= p.sum(axis=1, dtype=np.float64, keepdims=True).astype(np.float32)
                kept[head] = p[rows_from:]
                out[:, head, :] = p @ v[:, kv, :]
            result.attention[layer] = kept

            attended = self._linear(out.reshape(n, arch.heads * arch.head_dim), f"{prefix}.attn_output")
            if arch.post_norms:
                attended = self._norm(attended, f"{prefix}.post_attention_norm")
            x = x + attended
            h = self._norm(x, f"{prefix}.ffn_norm")
            hidden = self._activation(self._linear(h, f"{prefix}.ffn_gate")) * self._linear(h, f"{prefix}.ffn_up")
            ffn = self._linear(hidden, f"{prefix}.ffn_down")
            if arch.post_norms:
                ffn = self._norm(ffn, f"{prefix}.post_ffw_norm")
            x = x + ffn

        last = rms_norm(x[-1:], self.weights.tensor("output_norm.weight"), arch.rms_epsilon)
        logits = (last @ self.output.T)[0]
        if arch.final_logit_softcap:
            cap = np.float32(arch.final_logit_softcap)
            logits = np.tanh(logits / cap) * cap
        result.last_logits = logits
        return result
