"""Compares the app's captured attention (scripts/parity/capture-attention.ts) with this folder's
independent forward pass on the same tokens and weights.

    python reference/parity.py CAPTURE_DIR MODEL.gguf [--tolerance 1e-3] [--next-token-tolerance 2e-3]
                               [--json OUT.json] [--exact-gelu]

For each run (prompt, length, masked or not) and kind of layer it prints the largest absolute
difference between a captured attention row and the reference's, over rows, heads and layers, and
the largest difference in the next-token probabilities after the last token (all that is compared
for a model whose cache the probe cannot read).
A masked run is compared with the reference run with those positions removed from that layer's
attention for the captured rows. Exits 1 when a difference passes the tolerance, when a masked
position keeps attention in the app, or when a mask changes nothing downstream (a check that
could not fail).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from architecture import Architecture, read_architecture
from forward import LayerMask, Transformer
from gguf_weights import GgufWeights


def layer_kind(arch: Architecture, layer: int) -> str:
    window = arch.sliding_window[layer]
    return "global" if window is None else f"window {window}"


def read_run(capture_dir: Path, run: dict) -> np.ndarray:
    """[rows, layers, heads, n] of one run."""
    data = np.fromfile(capture_dir / run["data"], dtype="<f4")
    rows = run["length"] - run["fromRow"]
    return data.reshape(rows, len(run["layers"]), run["heads"], run["n"])


def next_token_difference(next_tokens: dict, logits: np.ndarray) -> tuple[float, bool]:
    """Largest |p_app - p_reference| over the app's most likely next tokens, and whether both put the
    same token first."""
    shifted = logits.astype(np.float64) - logits.max()
    probabilities = np.exp(shifted) / np.exp(shifted).sum()
    app = np.asarray(next_tokens["probabilities"])
    tokens = np.asarray(next_tokens["tokens"])
    return float(np.abs(app - probabilities[tokens]).max()), int(tokens[0]) == int(probabilities.argmax())


def compare(
    capture_dir: Path, model_path: Path, tolerance: float, next_tolerance: float, gelu_f16: bool
) -> tuple[list[dict], list[str]]:
    captures = json.loads((capture_dir / "captures.json").read_text())
    weights = GgufWeights(model_path)
    arch = read_architecture(weights)
    transformer = Transformer(weights, arch, gelu_f16=gelu_f16)
    figures: list[dict] = []
    failures: list[str] = []
    plain_reference: dict[tuple[int, int], dict[int, np.ndarray]] = {}
    if captures.get("probeUnavailable"):
        print(f"{captures['model']}: no attention captured ({captures['probeUnavailable']}); next-token distributions only")
    for run in captures["runs"]:
        masks: tuple[LayerMask, ...] = ()
        if run["mask"]:
            masks = (LayerMask(run["mask"]["layer"], run["fromRow"], tuple(run["mask"]["positions"])),)
        started = time.time()
        result = transformer.forward(run["tokens"], run["fromRow"], masks)
        seconds = time.time() - started
        reference = result.attention
        key = (run["prompt"], run["length"])
        if not masks:
            plain_reference[key] = reference
        name = f"prompt {run['prompt']} (p. {run['firstPage']}), {run['length']} tokens{', masked' if masks else ''}"
        by_kind: dict[str, float] = {}
        if run["data"] is not None:
            captured = read_run(capture_dir, run)
            for i, layer in enumerate(run["layers"]):
                difference = np.abs(captured[:, i] - reference[layer].transpose(1, 0, 2)).max()
                kind = layer_kind(arch, layer)
                by_kind[kind] = max(by_kind.get(kind, 0.0), float(difference))
        next_difference, same_top = next_token_difference(run["next"], result.last_logits)
        figure = {
            "model": captures["model"],
            "kvCache": captures["kvCache"],
            "prompt": run["prompt"],
            "firstPage": run["firstPage"],
            "length": run["length"],
            "rows": run["length"] - run["fromRow"],
            "masked": bool(masks),
            "maxAbsDifference": by_kind,
            "nextTokenDifference": next_difference,
            "sameNextToken": same_top,
            "referenceSeconds": round(seconds, 1),
        }
        for kind, difference in by_kind.items():
            if difference > tolerance:
                failures.append(f"{name}, {kind} layers: {difference:.2e} > {tolerance:.0e}")
        if next_difference > next_tolerance:
            failures.append(f"{name}, next-token probabilities: {next_difference:.2e} > {next_tolerance:.0e}")
        if masks:
            mask = masks[0]
            layer_index = run["layers"].index(mask.layer)
            kept = float(captured[:, layer_index][..., list(mask.positions)].max())
            plain = plain_reference.get(key)
            effect = 0.0
            if plain is not None:
                effect = max(float(np.abs(reference[layer] - plain[layer]).max()) for layer in run["layers"] if layer > mask.layer)
            figure["maskedLayer"] = mask.layer
            figure["maskedPositions"] = len(mask.positions)
            figure["maskedMassInApp"] = kept
            figure["maskEffectDownstream"] = effect
            if kept != 0.0:
                failures.append(f"{name}: masked positions keep {kept:.2e} of layer {mask.layer}'s attention in the app")
            if effect <= 10 * tolerance:
                failures.append(f"{name}: the mask changed later layers by only {effect:.2e}, too little to test anything")
        figures.append(figure)
        kinds = ", ".join(f"{kind}: {value:.2e}" for kind, value in sorted(by_kind.items())) or "not captured"
        extra = ""
        if masks:
            extra = f"  (layer {figure['maskedLayer']} without {figure['maskedPositions']} positions; later layers moved by up to {figure['maskEffectDownstream']:.2e})"
        print(
            f"{captures['model']} [{captures['kvCache']} cache] {name}: max |dp| {kinds}; "
            f"next token |dp| {next_difference:.2e}{'' if same_top else ' (top token differs)'}{extra}",
            flush=True,
        )
    return figures, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("capture_dir", type=Path)
    parser.add_argument("model", type=Path, help="the GGUF the capture ran (same weights)")
    parser.add_argument("--tolerance", type=float, default=1e-3, help="on attention probabilities")
    parser.add_argument(
        "--next-token-tolerance", type=float, default=2e-3,
        help="on next-token probabilities: the whole model's rounding, through a 262k-word head on Gemma 3",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--exact-gelu", action="store_true",
        help="GELU in float32 throughout (default: float16 input and output, as llama.cpp's CPU backend)",
    )  # fmt: skip
    args = parser.parse_args()
    figures, failures = compare(
        args.capture_dir, args.model, args.tolerance, args.next_token_tolerance, gelu_f16=not args.exact_gelu
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
