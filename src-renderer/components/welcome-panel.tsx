import type { ModelInfo } from "../../src-main/api/contract";
import { loadedValue } from "../state/loadable";
import { useAppState } from "../state/store-context";

/** The smallest chat model the app lists (a real model set up or downloaded), the quickest to answer. */
function smallestChatModel(models: readonly ModelInfo[] | undefined): ModelInfo | undefined {
  return models
    ?.filter((model) => model.promptStyle === "chat")
    .reduce<ModelInfo | undefined>(
      (best, model) => (!best || model.sizeBytes < best.sizeBytes ? model : best),
      undefined,
    );
}

/**
 * First run: no document yet. Offers the sample document with a real chat model when one is there,
 * and with the bundled demo model, which works offline everywhere.
 */
export function WelcomePanel() {
  const models = useAppState((s) => loadedValue(s.models));
  const hasBundledModel = models?.some((m) => m.bundled) ?? false;
  const chatModel = smallestChatModel(models);
  const starting = useAppState((s) => s.startingDemo);
  const startDemo = useAppState((s) => s.startDemo);
  return (
    <div className="workspace-empty welcome">
      <h2>Chat with a long document inside your memory budget</h2>
      <p>
        Open a PDF, text or Markdown file, or drop one onto this window. CompressKV keeps only the tokens the model's
        retrieval heads need, so a 500-page document fits the memory you give it, and shows you what it kept.
      </p>
      {chatModel && (
        <>
          <p>
            Ask {chatModel.name} about a sample document: a real chat model on this computer, with the budget slider,
            charts and heat map.
          </p>
          <button type="button" className="primary" disabled={starting} onClick={() => void startDemo(chatModel.id)}>
            {starting ? "Opening the sample…" : `Chat with ${chatModel.name}`}
          </button>
        </>
      )}
      {hasBundledModel && (
        <>
          <p>
            Or try the small bundled retrieval model, which shows CompressKV at work on any computer: it completes codes
            ("The code of Bako is" → 48213), it is not a chat model.
          </p>
          <button
            type="button"
            className={chatModel ? undefined : "primary"}
            disabled={starting}
            onClick={() => void startDemo()}
          >
            {starting ? "Opening the demo…" : "Try the demo"}
          </button>
        </>
      )}
    </div>
  );
}
