import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../../src-main/evaluation/wilson-interval";

describe("Wilson score interval (95 %)", () => {
  it("matches the published values", () => {
    // 7 of 10: 39.7 % to 89.2 %; 0 of 10: 0 to 27.8 %; 10 of 10: 72.2 % to 100 %; 20 of 40: 35.2 % to 64.8 %.
    const seven = wilsonInterval(7, 10);
    expect(seven.low).toBeCloseTo(0.3968, 4);
    expect(seven.high).toBeCloseTo(0.8922, 4);
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(10, 10).low).toBeCloseTo(0.7225, 4);
    expect(wilsonInterval(10, 10).high).toBe(1);
    const half = wilsonInterval(20, 40);
    expect(half.low).toBeCloseTo(0.352, 4);
    expect(half.high).toBeCloseTo(0.648, 3);
  });

  it("narrows with more items and knows nothing without any", () => {
    const small = wilsonInterval(5, 10);
    const large = wilsonInterval(50, 100);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});
