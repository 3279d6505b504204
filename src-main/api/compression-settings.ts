/** The contract's compression settings are the engine's own (types and constants only: browser-safe). */
export {
  DEFAULT_COMPRESSION,
  METHOD_NAMES,
  type CompressionSettings,
} from "../engine/compression/compression-settings";
