import { exampleCues } from "../demo/example-cues";
import { selectLoadedModel } from "../state/selectors";
import { useAppState } from "../state/store-context";

const NO_CUES: string[] = [];

/** For a completion model (the bundled demo): fact openings from the document to ask with. */
export function ExampleQuestions({ documentId }: { documentId: string }) {
  const model = useAppState(selectLoadedModel);
  const text = useAppState((s) => s.documentTexts[documentId]);
  const setDraft = useAppState((s) => s.setDraft);
  const cues =
    model?.promptStyle === "completion" && text?.status === "loaded" ? exampleCues(text.value.text) : NO_CUES;
  if (cues.length === 0) return null;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of suggestion buttons, not form fields; a fieldset would style it as a form.
    <div className="example-questions" aria-label="Example questions" role="group">
      <span className="muted">This model completes text. Try:</span>
      {cues.map((cue) => (
        <button key={cue} type="button" className="chip" onClick={() => setDraft(documentId, cue)}>
          {cue}
        </button>
      ))}
    </div>
  );
}
