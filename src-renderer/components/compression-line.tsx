import type { CompressionReport } from "../../src-main/api/contract";
import { formatCount, formatDuration, plural } from "../format/quantities";

/** How an answer's cache was compressed, and why the method differs from the one asked for. */
export function CompressionLine({ report }: { report: CompressionReport }) {
  return (
    <>
      <p className="message-stats">
        {[
          report.method,
          `budget ${formatCount(report.budget)}`,
          `${report.plan} plan`,
          report.questionAware ? "question-aware" : "question-agnostic",
          plural(report.passes, "compression pass", "compression passes"),
          `scoring ${formatDuration(report.scoringMs)}`,
        ].join(" · ")}
      </p>
      {report.fallbackReason && (
        <p className="message-fallback" role="note">
          Asked for {report.requestedMethod}, used {report.method}: {report.fallbackReason}
        </p>
      )}
    </>
  );
}
