"""A GGUF model file read with llama.cpp's `gguf` package: metadata and tensors dequantised to float32."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize


class GgufWeights:
    """Metadata and float32 tensors of one GGUF file; every quant type goes through gguf.quants.dequantize."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.reader = GGUFReader(self.path)
        self.architecture: str = self.metadata("general.architecture")
        self._tensors = {tensor.name: tensor for tensor in self.reader.tensors}
        self._dequantised: dict[str, np.ndarray] = {}

    def metadata(self, key: str, default: Any = None) -> Any:
        field = self.reader.fields.get(key)
        if field is None:
            if default is None:
                raise KeyError(f"{self.path.name} has no metadata {key}")
            return default
        return field.contents()

    def arch_metadata(self, key: str, default: Any = None) -> Any:
        """`<architecture>.<key>`, e.g. arch_metadata("block_count")."""
        return self.metadata(f"{self.architecture}.{key}", default)

    def has(self, name: str) -> bool:
        return name in self._tensors

    def tensor(self, name: str) -> np.ndarray:
        """The tensor as float32 in numpy's order: a matrix of GGUF shape [cols, rows] comes back
        [rows, cols]. Dequantised once, then kept."""
        if name not in self._dequantised:
            tensor = self._tensors[name]
            values = dequantize(tensor.data, tensor.tensor_type)
            self._dequantised[name] = np.ascontiguousarray(values.reshape(self.tensor_shape(name)), dtype=np.float32)
        return self._dequantised[name]

    def tensor_types(self) -> set[str]:
        return {tensor.tensor_type.name for tensor in self.reader.tensors}

    def tensor_shape(self, name: str) -> tuple[int, ...]:
        """The tensor's shape in numpy's order (rows first)."""
        return tuple(int(d) for d in reversed(self._tensors[name].shape.tolist()))
