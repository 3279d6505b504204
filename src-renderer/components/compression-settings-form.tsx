import {
  type CompressionSettings,
  READING_MODES,
  type ReadingMode,
  readingModeOf,
  withReadingMode,
} from "../../src-main/api/compression-settings";
import { loadedValue } from "../state/loadable";
import { useAppState } from "../state/store-context";
import { MethodSelect } from "./method-select";
import { NumberField } from "./number-field";
import { RetryMessage } from "./retry-message";
import { SettingsField as Field } from "./settings-field";

const READING_LABELS: Record<ReadingMode, string> = {
  reservoir: "Reservoir",
  "question-aware": "Re-read per question",
  "question-agnostic": "Question-agnostic",
};

/** The settings that change to read in `mode`. */
function readingChange(compression: CompressionSettings, mode: ReadingMode): Partial<CompressionSettings> {
  const { questionAware, reservoirMultiple } = withReadingMode(compression, mode);
  return { questionAware, reservoirMultiple };
}

/** Every compression setting, saved as it changes; the defaults suit most documents. */
export function CompressionSettingsForm() {
  const settings = useAppState((s) => s.settings);
  const change = useAppState((s) => s.changeCompression);
  const reset = useAppState((s) => s.resetCompression);
  const refresh = useAppState((s) => s.refreshSettings);
  const compression = loadedValue(settings)?.compression;
  if (!settings || settings.status === "loading") return <p className="muted">Reading the settings…</p>;
  if (!compression) return <RetryMessage onRetry={() => void refresh()}>The settings could not be read.</RetryMessage>;
  return (
    <form className="settings-form" onSubmit={(event) => event.preventDefault()}>
      <Field label="Method" hint="CompressKV needs a calibrated model; until then the engine uses SnapKV and says so.">
        <MethodSelect label="Method" value={compression.method} onChange={(method) => void change({ method })} />
      </Field>
      <Field label="Budget (tokens)" hint="KV cells the document may occupy; the slider above sets it too.">
        <NumberField
          label="Budget"
          value={compression.budget}
          min={16}
          step={16}
          onCommit={(budget) => void change({ budget })}
        />
      </Field>
      <Field
        label="Plan"
        hint="Shared: every layer sees every kept cell. Exact: each layer sees only its own choice (masking)."
      >
        <div role="radiogroup" aria-label="Plan" className="inline-field">
          {(["shared", "exact"] as const).map((plan) => (
            <label key={plan} className="inline-field">
              <input
                type="radio"
                name="plan"
                value={plan}
                checked={compression.plan === plan}
                onChange={() => void change({ plan })}
              />
              <span>{plan === "shared" ? "Shared" : "Exact per layer"}</span>
            </label>
          ))}
        </div>
      </Field>
      <Field
        label="Reading"
        hint={
          "Reservoir: the document is read once into several budgets' worth of cells, and each question keeps the " +
          "budget of them by its own attention (follow-ups are fast). Re-read: the document is read again for each " +
          "question. Question-agnostic: read once, to the budget, whatever the question."
        }
      >
        <div role="radiogroup" aria-label="Reading" className="inline-field">
          {READING_MODES.map((mode) => (
            <label key={mode} className="inline-field">
              <input
                type="radio"
                name="reading"
                value={mode}
                checked={readingModeOf(compression) === mode}
                onChange={() => void change(readingChange(compression, mode))}
              />
              <span>{READING_LABELS[mode]}</span>
            </label>
          ))}
        </div>
      </Field>
      {readingModeOf(compression) === "reservoir" && (
        <Field label="Reservoir (x budget)" hint="Cells the document is read into, as a multiple of the budget.">
          <NumberField
            label="Reservoir multiple"
            value={compression.reservoirMultiple}
            min={1}
            max={1024}
            onCommit={(reservoirMultiple) => void change({ reservoirMultiple })}
          />
        </Field>
      )}
      <Field label="Observation window" hint="Last prompt tokens whose attention scores the rest.">
        <NumberField
          label="Observation window"
          value={compression.window}
          min={1}
          max={1024}
          onCommit={(window) => void change({ window })}
        />
      </Field>
      <Field label="Sink tokens" hint="First tokens always kept (StreamingLLM).">
        <NumberField
          label="Sink tokens"
          value={compression.sinks}
          min={0}
          max={256}
          onCommit={(sinks) => void change({ sinks })}
        />
      </Field>
      <Field label="Heads per layer" hint="Semantic retrieval heads CompressKV scores with.">
        <NumberField
          label="Heads per layer"
          value={compression.headsPerLayer}
          min={1}
          max={1024}
          onCommit={(headsPerLayer) => void change({ headsPerLayer })}
        />
      </Field>
      <Field label="Pooling" hint="Smoothing of token scores: kind and (odd) kernel size.">
        <span className="inline-field">
          <select
            aria-label="Pooling kind"
            value={compression.pooling.kind}
            onChange={(event) =>
              void change({ pooling: { ...compression.pooling, kind: event.target.value as "avg" | "max" } })
            }
          >
            <option value="avg">Average</option>
            <option value="max">Maximum</option>
          </select>
          <NumberField
            label="Pooling kernel"
            value={compression.pooling.kernel}
            min={1}
            max={63}
            step={2}
            onCommit={(kernel) =>
              void change({ pooling: { ...compression.pooling, kernel: kernel % 2 === 1 ? kernel : kernel + 1 } })
            }
          />
        </span>
      </Field>
      <Field label="Chunk (tokens)" hint="Tokens read between compressions of a long document.">
        <NumberField
          label="Chunk"
          value={compression.chunkTokens}
          min={64}
          step={64}
          onCommit={(chunkTokens) => void change({ chunkTokens })}
        />
      </Field>
      <Field label="Seed" hint="For the random baseline.">
        <NumberField label="Seed" value={compression.seed} min={0} onCommit={(seed) => void change({ seed })} />
      </Field>
      <div className="question-actions">
        <button type="button" onClick={() => void reset()}>
          Restore defaults
        </button>
      </div>
    </form>
  );
}
