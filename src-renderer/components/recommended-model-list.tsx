import type { DownloadState } from "../../src-main/api/contract";
import { useAppState } from "../state/store-context";
import { RecommendedModelItem } from "./recommended-model-item";
import { RetryMessage } from "./retry-message";

/** The latest download of each recommended model (a running one wins over an older one). */
function latestDownloads(downloads: Record<string, DownloadState>): Map<string, DownloadState> {
  const latest = new Map<string, DownloadState>();
  for (const download of Object.values(downloads)) {
    const held = latest.get(download.recommendedId);
    if (held?.status !== "downloading") latest.set(download.recommendedId, download);
  }
  return latest;
}

export function RecommendedModelList() {
  const models = useAppState((s) => s.recommendedModels);
  const downloads = useAppState((s) => s.downloads);
  const refresh = useAppState((s) => s.refreshRecommendedModels);
  if (!models || models.status === "loading") return <p className="muted">Loading the recommended models…</p>;
  if (models.status === "failed")
    return <RetryMessage onRetry={() => void refresh()}>The recommended models are unavailable.</RetryMessage>;
  if (models.value.length === 0) return <p className="muted">No recommended models.</p>;
  const latest = latestDownloads(downloads);
  return (
    <ul className="item-list" aria-label="Recommended models">
      {models.value.map((model) => (
        <RecommendedModelItem key={model.id} model={model} download={latest.get(model.id) ?? null} />
      ))}
    </ul>
  );
}
