import type { EngineStatus } from "../../src-main/api/contract";
import { formatBytes } from "../format/quantities";
import { useAppState } from "../state/store-context";
import { RetryMessage } from "./retry-message";

export function EngineStatusLines() {
  const status = useAppState((s) => s.engineStatus);
  const refreshStatus = useAppState((s) => s.refreshStatus);
  if (!status || status.status === "loading") return <p className="muted">Checking the hardware…</p>;
  if (status.status === "failed") {
    return <RetryMessage onRetry={() => void refreshStatus()}>Engine status unavailable.</RetryMessage>;
  }
  return (
    <dl className="engine-status">
      <dt>Compute</dt>
      <dd>{computeLine(status.value.gpu)}</dd>
      <dt>Attention probe</dt>
      <dd>{probeLine(status.value.attentionProbe)}</dd>
    </dl>
  );
}

function computeLine(gpu: EngineStatus["gpu"]): string {
  const ram = `${formatBytes(gpu.ramFreeBytes)} of ${formatBytes(gpu.ramTotalBytes)} RAM free`;
  if (gpu.backend === false) return `CPU · ${ram}`;
  const devices = gpu.deviceNames.length > 0 ? ` (${gpu.deviceNames.join(", ")})` : "";
  const vram = `${formatBytes(gpu.vramFreeBytes)} of ${formatBytes(gpu.vramTotalBytes)} VRAM free`;
  return `GPU: ${gpu.backend}${devices} · ${vram}`;
}

function probeLine(probe: EngineStatus["attentionProbe"]): string {
  if (probe.available) return "Available";
  return probe.reason ? `Unavailable: ${probe.reason}` : "Unavailable";
}
