import { describe, expect, it } from "vitest";
import { pool1d } from "../../../src-main/compresskv/pooling";

describe("pool1d", () => {
  it("average pooling divides by the kernel, counting the zero padding", () => {
    const pooled = pool1d([1, 2, 3, 4, 5, 6], { kind: "avg", kernel: 5 });
    expect(Array.from(pooled)).toEqual([6 / 5, 10 / 5, 15 / 5, 20 / 5, 18 / 5, 15 / 5]);
  });
  it("max pooling ignores the padding", () => {
    expect(Array.from(pool1d([-1, -5, -3, -4], { kind: "max", kernel: 3 }))).toEqual([-1, -1, -3, -3]);
    expect(Array.from(pool1d([1, 2, 3, 4, 5, 6], { kind: "max", kernel: 3 }))).toEqual([2, 3, 4, 5, 6, 6]);
  });
  it("a kernel of 1 is the identity", () => {
    expect(Array.from(pool1d([4, 0, 2], { kind: "avg", kernel: 1 }))).toEqual([4, 0, 2]);
  });
  it("a kernel wider than the input still uses same padding", () => {
    expect(Array.from(pool1d([3, 6], { kind: "avg", kernel: 5 }))).toEqual([9 / 5, 9 / 5]);
  });
  it("rejects even and non-positive kernels", () => {
    expect(() => pool1d([1], { kind: "avg", kernel: 4 })).toThrow(RangeError);
    expect(() => pool1d([1], { kind: "max", kernel: 0 })).toThrow(RangeError);
  });
});
