import type { AnswerStats } from "../../src-main/api/contract";
import { formatBytes, formatCount, formatDuration, plural } from "../format/quantities";

export function AnswerStatsLine({ stats }: { stats: AnswerStats }) {
  return (
    <p className="message-stats">
      {plural(stats.generatedTokens, "token")} · prefill {formatDuration(stats.prefillMs)} · decode{" "}
      {formatDuration(stats.decodeMs)} · {formatCount(stats.cacheCells)} cache cells ({formatBytes(stats.kvBytes)})
    </p>
  );
}
