import { useState } from "react";

interface NumberFieldProps {
  label: string;
  value: number;
  min: number;
  max?: number;
  step?: number;
  className?: string;
  /** Called with a whole number within [min, max] when the person presses Enter or leaves the field. */
  onCommit(value: number): void;
}

/** A number input that lets the person type freely and only commits a valid value. */
export function NumberField({ label, value, min, max, step = 1, className, onCommit }: NumberFieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const parsed = Math.round(Number(draft));
    setDraft(null);
    if (
      draft.trim() !== "" &&
      Number.isFinite(parsed) &&
      parsed >= min &&
      (max === undefined || parsed <= max) &&
      parsed !== value
    ) {
      onCommit(parsed);
    }
  };
  return (
    <input
      type="number"
      aria-label={label}
      className={className}
      min={min}
      max={max}
      step={step}
      value={draft ?? String(value)}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          commit();
        } else if (event.key === "Escape") {
          setDraft(null);
        }
      }}
    />
  );
}
