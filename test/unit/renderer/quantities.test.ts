// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatDuration, plural } from "../../../src-renderer/format/quantities";

describe("quantities", () => {
  it("groups thousands", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(1234567)).toBe("1,234,567");
  });

  it("uses binary units with one decimal", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1.0 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(540_672)).toBe("528.0 KiB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GiB");
  });

  it("shows milliseconds below a second, seconds below a minute, then minutes", () => {
    expect(formatDuration(340.4)).toBe("340 ms");
    expect(formatDuration(999)).toBe("999 ms");
    expect(formatDuration(1000)).toBe("1.0 s");
    expect(formatDuration(1250)).toBe("1.3 s");
    expect(formatDuration(59_940)).toBe("59.9 s");
    expect(formatDuration(59_950)).toBe("1 min");
    expect(formatDuration(383_000)).toBe("6 min 23 s");
  });

  it("pluralises", () => {
    expect(plural(1, "page")).toBe("1 page");
    expect(plural(2, "page")).toBe("2 pages");
    expect(plural(1500, "token")).toBe("1,500 tokens");
  });
});
