import type { ReactNode } from "react";

/** Why something is missing, with a way to fetch it again. */
export function RetryMessage({ children, onRetry, className = "muted" }: { children: ReactNode; onRetry: () => void; className?: string }) {
  return (
    <p className={className}>
      {children}{" "}
      <button type="button" className="link" onClick={onRetry}>
        Retry
      </button>
    </p>
  );
}
