export interface ProgressState {
  done: number;
  total: number;
  /** Of `done`, those finished in this process (the others were read back from an earlier run). */
  doneNow: number;
  /** Time this process has spent on the `doneNow` ones. */
  elapsedMs: number;
  label?: string;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** "[######------] 12/30  40%  1m10s elapsed, about 1m45s left  <label>"; the estimate uses this run's pace. */
export function progressLine(state: ProgressState, width = 24): string {
  const share = state.total === 0 ? 1 : state.done / state.total;
  const filled = Math.round(share * width);
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  const remaining = state.total - state.done;
  const eta =
    remaining === 0
      ? "done"
      : state.doneNow === 0
        ? "estimating"
        : `about ${formatDuration((state.elapsedMs / state.doneNow) * remaining)} left`;
  const parts = [
    bar,
    `${state.done}/${state.total}`,
    `${Math.floor(100 * share)}%`,
    `${formatDuration(state.elapsedMs)} elapsed, ${eta}`,
  ];
  if (state.label) parts.push(state.label);
  return parts.join("  ");
}
