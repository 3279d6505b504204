import type { ReactNode } from "react";

/** Why something is missing, with a way to fetch it again. */
interface RetryMessageProps {
  children: ReactNode;
  onRetry: () => void;
  className?: string;
}

export function RetryMessage({ children, onRetry, className = "muted" }: RetryMessageProps) {
  return (
    <p className={className}>
      {children}{" "}
      <button type="button" className="link" onClick={onRetry}>
        Retry
      </button>
    </p>
  );
}
