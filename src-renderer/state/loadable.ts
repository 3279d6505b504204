import type { AppErrorInfo } from "../../src-main/api/app-error";
import { errorInfoOf } from "./error-info";

/** Something fetched from the main process; absent (undefined) until first asked for. */
export type Loadable<T> =
  | { status: "loading" }
  | { status: "loaded"; value: T }
  | { status: "failed"; error: AppErrorInfo };

export const loading = { status: "loading" } as const;

export function loaded<T>(value: T): Loadable<T> {
  return { status: "loaded", value };
}

export function failed<T>(error: AppErrorInfo): Loadable<T> {
  return { status: "failed", error };
}

export function loadedValue<T>(loadable: Loadable<T> | undefined): T | undefined {
  return loadable?.status === "loaded" ? loadable.value : undefined;
}

/**
 * Runs a fetch and mirrors it into `update`. A value already shown stays on screen while it is
 * fetched again; a failure replaces it and is rethrown for the caller to report.
 */
export async function trackLoadable<T>(
  current: Loadable<T> | undefined,
  fetch: () => Promise<T>,
  update: (next: Loadable<T>) => void,
): Promise<T> {
  if (current?.status !== "loaded") update(loading);
  try {
    const value = await fetch();
    update(loaded(value));
    return value;
  } catch (error) {
    update(failed(errorInfoOf(error)));
    throw error;
  }
}
