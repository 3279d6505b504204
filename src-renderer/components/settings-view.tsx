import { CompressionSettingsForm } from "./compression-settings-form";

export function SettingsView() {
  return (
    <section className="pane view-pane settings-view" aria-labelledby="settings-heading">
      <header className="pane-header">
        <h2 id="settings-heading">Compression settings</h2>
        <p className="muted">Saved as they change; they apply to the next question.</p>
      </header>
      <div className="view-body">
        <CompressionSettingsForm />
      </div>
    </section>
  );
}
