import type { CompareAnswer, CompareSide } from "../state/compare-slice";
import { loadedValue } from "../state/loadable";
import { useAppState } from "../state/store-context";
import { AnswerStatsLine } from "./answer-stats-line";
import { CompressionLine } from "./compression-line";
import { IngestProgressView } from "./ingest-progress-view";
import { LayerCacheChart } from "./layer-cache-chart";
import { MarkdownText } from "./markdown-text";
import { METHOD_LABELS } from "./method-select";
import { RetentionHeatmap } from "./retention-heatmap";

interface CompareAnswerCardProps {
  name: string;
  documentId: string;
  side: CompareSide;
  answer: CompareAnswer;
}

export function CompareAnswerCard({ name, documentId, side, answer }: CompareAnswerCardProps) {
  const map = useAppState((s) => loadedValue(s.tokenMaps[documentId]));
  const text = useAppState((s) => loadedValue(s.documentTexts[documentId]));
  const cancel = useAppState((s) => s.cancel);
  const report = answer.message?.stats?.compression;
  const stopped = answer.error?.code === "cancelled";
  return (
    <article className="compare-card" aria-label={name} aria-busy={answer.status === "running" || undefined}>
      <header>
        <h3>{name}</h3>
        <p className="muted">
          {METHOD_LABELS[side.method]} · {side.budget === null ? "saved budget" : `budget ${side.budget}`}
        </p>
      </header>
      {answer.status === "waiting" && <p className="muted">Waits for the other side to finish.</p>}
      {answer.status === "running" && !answer.text && !answer.progress && <p className="muted">Starting…</p>}
      {answer.progress && (
        <IngestProgressView
          progress={answer.progress}
          onCancel={() => answer.requestId && void cancel(answer.requestId)}
        />
      )}
      {answer.text && <MarkdownText text={answer.text} className="compare-answer markdown" />}
      {answer.error && (
        <p className={stopped ? "message-note" : "message-error"}>{stopped ? "Stopped." : answer.error.message}</p>
      )}
      {answer.message?.stats && <AnswerStatsLine stats={answer.message.stats} />}
      {report && <CompressionLine report={report} />}
      {report && <LayerCacheChart report={report} title={`${name}: per-layer cache`} height={180} />}
      {report && map && text && (
        <RetentionHeatmap
          documentId={documentId}
          layers={report.layers.map((layer) => layer.visibleRanges)}
          windowLayers={report.layers.map((layer) => layer.window === true)}
          map={map}
          text={text}
          label={`${name}: retained tokens`}
        />
      )}
    </article>
  );
}
