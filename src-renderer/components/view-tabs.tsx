import { useRef, type KeyboardEvent } from "react";
import { useAppState } from "../state/store-context";
import { VIEWS, type ViewName } from "../state/view-slice";

export const VIEW_LABELS: Record<ViewName, string> = {
  read: "Document & chat",
  cache: "Cache",
  compare: "Compare",
  models: "Models",
  settings: "Settings",
};

export const tabId = (view: ViewName) => `tab-${view}`;
export const panelId = (view: ViewName) => `panel-${view}`;

/** Tabs with roving focus: arrow keys, Home and End move between them (WAI-ARIA tabs pattern). */
export function ViewTabs() {
  const active = useAppState((s) => s.activeView);
  const showView = useAppState((s) => s.showView);
  const tabs = useRef<Partial<Record<ViewName, HTMLButtonElement | null>>>({});

  const onKeyDown = (event: KeyboardEvent) => {
    const index = VIEWS.indexOf(active);
    const next = {
      ArrowRight: VIEWS[(index + 1) % VIEWS.length],
      ArrowLeft: VIEWS[(index - 1 + VIEWS.length) % VIEWS.length],
      Home: VIEWS[0],
      End: VIEWS[VIEWS.length - 1],
    }[event.key];
    if (!next) return;
    event.preventDefault();
    showView(next);
    tabs.current[next]?.focus();
  };

  return (
    <div className="view-tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
      {VIEWS.map((view) => (
        <button
          key={view}
          ref={(element) => {
            tabs.current[view] = element;
          }}
          type="button"
          role="tab"
          id={tabId(view)}
          aria-selected={view === active}
          aria-controls={panelId(view)}
          tabIndex={view === active ? 0 : -1}
          className="view-tab"
          onClick={() => showView(view)}
        >
          {VIEW_LABELS[view]}
        </button>
      ))}
    </div>
  );
}
