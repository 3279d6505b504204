import type { ReactNode } from "react";

/** One labelled setting with a line saying what it does. */
export function SettingsField({ label, hint, children }: { label: string; hint: string; children: ReactNode }) {
  return (
    <div className="settings-field">
      <span className="settings-label">{label}</span>
      {children}
      <span className="settings-hint muted">{hint}</span>
    </div>
  );
}
