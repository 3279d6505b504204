// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { errorInfoOf, notConnected } from "../../../src-renderer/state/error-info";

describe("errorInfoOf", () => {
  it("keeps the main process's code and message", () => {
    expect(errorInfoOf({ code: "not-gguf", message: "Not a GGUF file.", extra: 1 })).toEqual({
      code: "not-gguf",
      message: "Not a GGUF file.",
    });
  });

  it("turns a closed connection into the not-connected error", () => {
    expect(errorInfoOf(new Error('[birpc] rpc is closed, cannot call "getStatus"'))).toBe(notConnected);
  });

  it("turns other errors and thrown values into internal errors with their text", () => {
    expect(errorInfoOf(new Error('[birpc] timeout on calling "ask"'))).toEqual({
      code: "internal",
      message: '[birpc] timeout on calling "ask"',
    });
    expect(errorInfoOf("boom")).toEqual({ code: "internal", message: "boom" });
  });
});
