"""Writes a GGUF whose every tensor is the float32 dequantisation of a quantised GGUF's tensor.

    python reference/dequantise.py IN.gguf OUT.gguf

Metadata is copied as is except general.file_type (0: all F32). Loading OUT in llama.cpp removes
the weights' quantisation (and the 8-bit rounding of activations that quantised matmuls do) from a
comparison with the reference, which reads the same numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gguf import GGUFReader, GGUFValueType, GGUFWriter

from gguf_weights import GgufWeights

# Written by GGUFWriter itself.
SKIPPED_KEYS = {"GGUF.version", "GGUF.tensor_count", "GGUF.kv_count", "general.architecture", "general.file_type"}
ALL_F32 = 0


def copy_metadata(reader: GGUFReader, writer: GGUFWriter) -> None:
    for key, field in reader.fields.items():
        if key in SKIPPED_KEYS:
            continue
        value_type = field.types[0]
        sub_type = field.types[-1] if value_type == GGUFValueType.ARRAY else None
        value = field.contents()
        writer.add_key_value(key, value, value_type, sub_type=sub_type)


def dequantise(source: Path, target: Path) -> None:
    weights = GgufWeights(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    writer = GGUFWriter(partial, weights.architecture)
    copy_metadata(weights.reader, writer)
    writer.add_file_type(ALL_F32)
    for tensor in weights.reader.tensors:
        writer.add_tensor(tensor.name, weights.tensor(tensor.name))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    partial.rename(target)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python reference/dequantise.py IN.gguf OUT.gguf")
    dequantise(Path(sys.argv[1]), Path(sys.argv[2]))
