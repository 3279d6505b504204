export {
  AttentionProbe,
  type CaptureRequest,
  type CapturedRow,
  type LayerHeads,
  type LayerRow,
  type RowsCapture,
} from "./attention-probe";
export { CacheLayout, type LayerCache, readCacheLayout } from "./cache-layout";
export { KvCellMap } from "./kv-cell-map";
export { removeCompacting, removeKeepingPositions } from "./cache-removal";
export {
  contextProbeAvailability,
  probeAvailability,
  ProbeUnavailableError,
  type ProbeAvailability,
} from "./probe-availability";
