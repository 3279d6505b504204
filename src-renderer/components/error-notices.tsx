import { useAppState } from "../state/store-context";

export function ErrorNotices() {
  const notices = useAppState((s) => s.notices);
  const dismiss = useAppState((s) => s.dismissNotice);
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label="Errors">
      {notices.map((notice) => (
        <li key={notice.id} className="notice" role="alert">
          <div className="notice-text">
            <strong>{notice.title}</strong>
            <span>{notice.error.message}</span>
          </div>
          <button type="button" className="quiet" onClick={() => dismiss(notice.id)}>
            Dismiss
          </button>
        </li>
      ))}
    </ul>
  );
}
