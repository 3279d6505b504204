import { AppError, toAppErrorInfo } from "./app-error";
import { requestSchemas, type MainApi, type MainApiMethod } from "./contract";

export type UntrustedApi = Record<MainApiMethod, (...args: unknown[]) => Promise<unknown>>;

/**
 * The main-process boundary: every call's arguments are parsed against its schema before the
 * implementation sees them, and every failure leaves as a plain AppErrorInfo (code + message),
 * which survives both structured clone and JSON.
 */
export function validatedApi(implementation: MainApi): UntrustedApi {
  const api = {} as UntrustedApi;
  for (const method of Object.keys(requestSchemas) as MainApiMethod[]) {
    api[method] = async (...args: unknown[]) => {
      try {
        const parsed = requestSchemas[method].safeParse(args);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
          throw new AppError(
            "invalid-request",
            `Invalid ${method} request${where}: ${issue?.message ?? "bad arguments"}`,
          );
        }
        const call = implementation[method] as (...a: unknown[]) => Promise<unknown>;
        return await call.apply(implementation, parsed.data as unknown[]);
      } catch (error) {
        throw toAppErrorInfo(error);
      }
    };
  }
  return api;
}

/** Only the contract's own method names resolve; anything else (e.g. "__proto__", "constructor") does not. */
export function isMainApiMethod(name: string): name is MainApiMethod {
  return Object.hasOwn(requestSchemas, name);
}
