import type { CompressionReport } from "../../src-main/api/contract";
import { formatCount, formatDuration, plural } from "../format/quantities";

/** How the document was read for this answer. */
export function readingText(report: CompressionReport): string {
  if (report.reading === "reservoir") return `question-aware from a reservoir of ${formatCount(report.reservoirCells)}`;
  return report.reading;
}

/** What became of the chat before the question, when it did not all stay beside the budget. */
export function historyText(history: NonNullable<CompressionReport["history"]>): string {
  const dropped =
    history.droppedTurns > 0 ? `${plural(history.droppedTurns, "oldest turn", "oldest turns")} dropped to fit; ` : "";
  const kept =
    history.handling === "compressed"
      ? `the chat so far (${formatCount(history.tokens)} tokens, past its share of ${formatCount(history.shareCells)}) ` +
        "was compressed with the document, within the budget"
      : `the chat so far (${formatCount(history.tokens)} tokens) was kept whole`;
  return `${dropped}${kept}`;
}

/**
 * How an answer's cache was compressed (and read), what became of a long chat, and why the method or
 * the reading differs from the one asked for.
 */
export function CompressionLine({ report }: { report: CompressionReport }) {
  return (
    <>
      <p className="message-stats">
        {[
          report.method,
          `budget ${formatCount(report.budget)}`,
          `${report.plan} plan`,
          readingText(report),
          plural(report.passes, "compression pass", "compression passes"),
          `scoring ${formatDuration(report.scoringMs)}`,
        ].join(" · ")}
      </p>
      {report.history && (report.history.handling === "compressed" || report.history.droppedTurns > 0) && (
        <p className="message-stats" role="note">
          {historyText(report.history)}
        </p>
      )}
      {report.readingFallbackReason && (
        <p className="message-fallback" role="note">
          Read question-agnostically, not into a reservoir: {report.readingFallbackReason}
        </p>
      )}
      {report.fallbackReason && (
        <p className="message-fallback" role="note">
          Asked for {report.requestedMethod}, used {report.method}: {report.fallbackReason}
        </p>
      )}
    </>
  );
}
