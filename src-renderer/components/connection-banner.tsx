import { useAppState } from "../state/store-context";

const problems = {
  failed: "Could not connect to the CompressKV process. Check that it is running, then reload this page.",
  lost: "The connection to the CompressKV process was lost. Reload this page to reconnect.",
};

export function ConnectionBanner() {
  const connection = useAppState((s) => s.connection);
  if (connection.state === "open") return null;
  if (connection.state === "connecting") {
    return (
      <p className="banner banner-info" role="status">
        Connecting to the CompressKV process…
      </p>
    );
  }
  return (
    <div className="banner banner-error" role="alert">
      <p>{problems[connection.state]}</p>
      {connection.detail && <p>{connection.detail}</p>}
      <button type="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
