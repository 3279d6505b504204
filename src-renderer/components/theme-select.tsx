import { useEffect, useState } from "react";
import {
  applyThemePreference,
  readThemePreference,
  saveThemePreference,
  type ThemePreference,
} from "../theme/theme-preference";

export function ThemeSelect() {
  const [preference, setPreference] = useState<ThemePreference>(readThemePreference);
  useEffect(() => applyThemePreference(preference), [preference]);
  return (
    <label className="theme-select">
      <span>Theme</span>
      <select
        value={preference}
        onChange={(event) => {
          const next = event.target.value as ThemePreference;
          saveThemePreference(next);
          setPreference(next);
        }}
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
