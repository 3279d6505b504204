/**
 * JSON text for RPC messages over a WebSocket, keeping Uint8Array values (document bytes) intact.
 * Electron IPC uses structured clone instead and needs none of this.
 */
const BYTES_TAG = "$bytes";

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function serializeMessage(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    value instanceof Uint8Array ? { [BYTES_TAG]: toBase64(value) } : value,
  );
}

export function deserializeMessage(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const tagged = value as Record<string, unknown>;
      const keys = Object.keys(tagged);
      if (keys.length === 1 && keys[0] === BYTES_TAG && typeof tagged[BYTES_TAG] === "string") {
        return fromBase64(tagged[BYTES_TAG]);
      }
    }
    return value;
  });
}
