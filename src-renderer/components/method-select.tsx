import { METHOD_NAMES } from "../../src-main/api/compression-settings";
import type { CompressionMethodName } from "../../src-main/api/contract";

export const METHOD_LABELS: Record<CompressionMethodName, string> = {
  full: "Full cache (no eviction)",
  "streaming-llm": "StreamingLLM (sinks + recent)",
  snapkv: "SnapKV (all heads)",
  pyramidkv: "PyramidKV (budgets shrink with depth)",
  "retrieval-heads": "Retrieval heads (arg-max score)",
  compresskv: "CompressKV (semantic retrieval heads)",
  random: "Random",
};

export function MethodSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: CompressionMethodName;
  onChange(method: CompressionMethodName): void;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.target.value as CompressionMethodName)}
    >
      {METHOD_NAMES.map((method) => (
        <option key={method} value={method}>
          {METHOD_LABELS[method]}
        </option>
      ))}
    </select>
  );
}
