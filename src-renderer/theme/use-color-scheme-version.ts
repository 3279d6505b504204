import { useEffect, useState } from "react";

/**
 * A number that changes whenever the page's colours may have: the system scheme or the
 * `data-theme` override. Canvas drawings read colours once per draw and depend on it.
 */
export function useColorSchemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const media = window.matchMedia?.("(prefers-color-scheme: dark)");
    media?.addEventListener("change", bump);
    const observer = typeof MutationObserver === "undefined" ? null : new MutationObserver(bump);
    observer?.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => {
      media?.removeEventListener("change", bump);
      observer?.disconnect();
    };
  }, []);
  return version;
}
