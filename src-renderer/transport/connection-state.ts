/** "failed": never connected; "lost": connected, then dropped. */
export type ConnectionState = "connecting" | "open" | "failed" | "lost";
