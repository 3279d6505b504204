import type { DownloadState, RecommendedModel } from "../../src-main/api/contract";
import { formatBytes } from "../format/quantities";
import { useAppState } from "../state/store-context";

export function RecommendedModelItem({ model, download }: { model: RecommendedModel; download: DownloadState | null }) {
  const startDownload = useAppState((s) => s.download);
  const cancel = useAppState((s) => s.cancel);
  const starting = useAppState((s) => s.startingDownloads[model.id] === true);
  const downloading = download?.status === "downloading";
  return (
    <li className="item recommended-model">
      <div className="item-text">
        <span className="item-name">{model.name}</span>
        <span className="item-meta">
          {model.description} · about {formatBytes(model.approximateSizeBytes)}
        </span>
        {downloading && (
          <span className="download-progress">
            <progress
              aria-label={`Downloading ${model.name}`}
              max={download.totalBytes || 1}
              value={download.downloadedBytes}
            />
            <span className="item-meta">
              {formatBytes(download.downloadedBytes)} of {formatBytes(download.totalBytes)}
            </span>
          </span>
        )}
        {download?.status === "done" && <span className="item-meta">Downloaded: it is in the model list.</span>}
        {download?.status === "failed" && (
          <span className="message-error">{download.error?.message ?? "The download failed."}</span>
        )}
        {download?.status === "cancelled" && <span className="item-meta">Download cancelled.</span>}
      </div>
      {downloading ? (
        <button type="button" onClick={() => void cancel(download.requestId)}>
          Cancel
        </button>
      ) : (
        <button
          type="button"
          disabled={starting || download?.status === "done"}
          onClick={() => void startDownload(model.id)}
        >
          Download
        </button>
      )}
    </li>
  );
}
