import { useEffect } from "react";
import { selectCompareRunning } from "../state/compare-slice";
import { selectAnswerFor, selectLoadedModel, selectSelectedDocument } from "../state/selectors";
import { useAppState } from "../state/store-context";
import { CompareAnswerCard } from "./compare-answer-card";
import { MethodSelect } from "./method-select";
import { NumberField } from "./number-field";

const SIDE_NAMES = ["A", "B"] as const;
const noAnswer = () => null;

/** The same question under two methods or budgets, one after the other, kept out of the chat. */
export function CompareView() {
  const document = useAppState(selectSelectedDocument);
  const model = useAppState(selectLoadedModel);
  const sides = useAppState((s) => s.compareSides);
  const question = useAppState((s) => s.compareQuestion);
  const run = useAppState((s) => s.compareRun);
  const running = useAppState(selectCompareRunning);
  const chatBusy = useAppState(document ? selectAnswerFor(document.id) : noAnswer) !== null;
  const savedBudget = useAppState((s) =>
    s.settings?.status === "loaded" ? s.settings.value.compression.budget : null,
  );
  const setSide = useAppState((s) => s.setCompareSide);
  const setQuestion = useAppState((s) => s.setCompareQuestion);
  const runCompare = useAppState((s) => s.runCompare);
  const stopCompare = useAppState((s) => s.stopCompare);
  const loadTokenMap = useAppState((s) => s.loadTokenMap);

  useEffect(() => {
    if (document && model) void loadTokenMap(document.id);
  }, [document, model, loadTokenMap]);

  if (!document) {
    return (
      <section className="pane view-pane" aria-label="Compare">
        <p className="pane-message muted">Open a document to compare methods on it.</p>
      </section>
    );
  }
  const shown = run?.documentId === document.id ? run : null;
  return (
    <section className="pane view-pane compare-view" aria-labelledby="compare-heading">
      <header className="pane-header">
        <h2 id="compare-heading">Compare</h2>
        <p className="muted">Ask {document.name} one question under two settings; the answers stay out of the chat.</p>
      </header>
      <div className="view-body">
        <form
          className="compare-form"
          onSubmit={(event) => {
            event.preventDefault();
            void runCompare(document.id);
          }}
        >
          <textarea
            aria-label="Question to compare"
            rows={2}
            value={question}
            placeholder="A question to ask under both settings"
            onChange={(event) => setQuestion(event.target.value)}
          />
          <div className="compare-sides">
            {SIDE_NAMES.map((name, index) => (
              <fieldset key={name} className="compare-side">
                <legend>Side {name}</legend>
                <MethodSelect
                  label={`Method ${name}`}
                  value={sides[index].method}
                  onChange={(method) => setSide(index as 0 | 1, { method })}
                />
                <label className="inline-field">
                  <span>Budget</span>
                  <NumberField
                    label={`Budget ${name}`}
                    value={sides[index].budget ?? savedBudget ?? 0}
                    min={16}
                    step={16}
                    onCommit={(budget) => setSide(index as 0 | 1, { budget })}
                  />
                </label>
              </fieldset>
            ))}
          </div>
          <div className="question-actions">
            {chatBusy && <span className="muted">Waiting for the chat's answer to finish…</span>}
            <button
              type="submit"
              className="primary"
              disabled={!model || running || chatBusy || question.trim().length === 0}
            >
              Compare
            </button>
            <button type="button" disabled={!running} onClick={() => void stopCompare()}>
              Stop comparing
            </button>
          </div>
          {!model && <p className="muted">Load a model first.</p>}
        </form>
        {shown && (
          <>
            <p className="muted">Question: {shown.question}</p>
            <div className="compare-results">
              {SIDE_NAMES.map((name, index) => (
                <CompareAnswerCard
                  key={name}
                  name={`Side ${name}`}
                  documentId={document.id}
                  side={shown.sides[index]}
                  answer={shown.answers[index]}
                />
              ))}
            </div>
          </>
        )}
      </div>
    </section>
  );
}
