import { useEffect } from "react";
import { loadedValue } from "../state/loadable";
import { selectInspectedAnswer, selectLoadedModel, selectSelectedDocument } from "../state/selectors";
import { useAppState } from "../state/store-context";
import { AnswerStatsLine } from "./answer-stats-line";
import { CompressionLine } from "./compression-line";
import { LayerCacheChart } from "./layer-cache-chart";
import { ModelProfileView } from "./model-profile-view";
import { RetentionHeatmap } from "./retention-heatmap";
import { RetryMessage } from "./retry-message";

const noAnswer = () => null;

/** What the compressed cache of one answer kept: per-layer chart, heat map, and the model's heads. */
export function CacheView() {
  const document = useAppState(selectSelectedDocument);
  const model = useAppState(selectLoadedModel);
  const answer = useAppState(document ? selectInspectedAnswer(document.id) : noAnswer);
  const map = useAppState((s) => (document ? s.tokenMaps[document.id] : undefined));
  const text = useAppState((s) => (document ? loadedValue(s.documentTexts[document.id]) : undefined));
  const question = useAppState((s) => {
    if (!document || !answer) return null;
    const messages = s.chats[document.id]?.messages ?? [];
    return messages.slice(0, messages.indexOf(answer)).findLast((m) => m.role === "user") ?? null;
  });
  const loadTokenMap = useAppState((s) => s.loadTokenMap);

  useEffect(() => {
    if (document && model) void loadTokenMap(document.id);
  }, [document, model, loadTokenMap]);

  const report = answer?.stats?.compression;
  return (
    <section className="pane view-pane cache-view" aria-labelledby="cache-heading">
      <header className="pane-header">
        <h2 id="cache-heading">Cache</h2>
        <p className="muted">What the compressed KV cache kept for an answer, layer by layer.</p>
      </header>
      <div className="view-body">
        {!document && <p className="muted">Open a document and ask a question to see its cache here.</p>}
        {document && !report && (
          <p className="muted">
            No compressed answer yet for {document.name}. Ask a question with a budget below the document's length; the
            cache of the latest answer shows here.
          </p>
        )}
        {document && report && answer?.stats && (
          <>
            <div className="cache-summary">
              {question && (
                <p>
                  <span className="muted">Question:</span> {question.text}
                </p>
              )}
              <p>
                <span className="muted">Answer:</span> {answer.text.trim() || "(empty)"}
              </p>
              <AnswerStatsLine stats={answer.stats} />
              <CompressionLine report={report} />
            </div>
            <LayerCacheChart report={report} />
            {(!map || map.status === "loading" || !text) && <p className="muted">Mapping tokens to the text…</p>}
            {map?.status === "failed" && (
              <RetryMessage onRetry={() => void loadTokenMap(document.id)}>
                The heat map needs the token map: {map.error.message}
              </RetryMessage>
            )}
            {map?.status === "loaded" && text && (
              <RetentionHeatmap
                documentId={document.id}
                layers={report.layers.map((layer) => layer.visibleRanges)}
                windowLayers={report.layers.map((layer) => layer.window === true)}
                reservoir={report.reservoirRanges}
                map={map.value}
                text={text}
              />
            )}
          </>
        )}
        {model && <ModelProfileView modelId={model.id} />}
      </div>
    </section>
  );
}
