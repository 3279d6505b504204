// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { accessTokenFromFragment, rpcSocketUrl } from "../../../src-renderer/transport/access-token";

describe("access token", () => {
  it("reads the token from the fragment, with or without other fields", () => {
    expect(accessTokenFromFragment("#token=abc123")).toBe("abc123");
    expect(accessTokenFromFragment("#theme=dark&token=a%2Bb")).toBe("a+b");
  });

  it("is null when the fragment has no token", () => {
    expect(accessTokenFromFragment("")).toBeNull();
    expect(accessTokenFromFragment("#token=")).toBeNull();
    expect(accessTokenFromFragment("#other=1")).toBeNull();
  });

  it("builds the socket address on the page's own host, token escaped", () => {
    expect(rpcSocketUrl("127.0.0.1:5173", "a+b/c")).toBe("ws://127.0.0.1:5173/rpc?token=a%2Bb%2Fc");
  });
});
