import { useAppState } from "../state/store-context";

/** First run: no document yet. Offers the bundled demo model and sample document, which work offline. */
export function WelcomePanel() {
  const hasBundledModel = useAppState((s) => s.models?.status === "loaded" && s.models.value.some((m) => m.bundled));
  const starting = useAppState((s) => s.startingDemo);
  const startDemo = useAppState((s) => s.startDemo);
  return (
    <div className="workspace-empty welcome">
      <h2>Chat with a long document inside your memory budget</h2>
      <p>
        Open a PDF, text or Markdown file, or drop one onto this window. CompressKV keeps only the tokens the model's
        retrieval heads need, so a 500-page document fits the memory you give it, and shows you what it kept.
      </p>
      {hasBundledModel && (
        <>
          <p>
            New here? Try the small bundled retrieval model with a sample document: it runs offline on any computer, and
            the budget slider, charts and heat map work at once.
          </p>
          <button type="button" className="primary" disabled={starting} onClick={() => void startDemo()}>
            {starting ? "Opening the demo…" : "Try the demo"}
          </button>
        </>
      )}
    </div>
  );
}
