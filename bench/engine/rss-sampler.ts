/**
 * Resident set size around a piece of work: at its start and the largest seen while it runs (sampled every
 * few milliseconds; the work runs on llama.cpp's threads, so the event loop stays free to sample).
 */
export async function peakRssDuring<T>(
  work: () => Promise<T>,
  intervalMs = 20,
): Promise<{ value: T; startRssBytes: number; peakRssBytes: number }> {
  const startRssBytes = process.memoryUsage.rss();
  let peak = startRssBytes;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, startRssBytes, peakRssBytes: peak };
  } finally {
    clearInterval(timer);
  }
}
