/**
 * The Wilson score interval of a proportion: `successes` right answers of `count`, at the confidence
 * that `z` gives (1.96: 95 %). Unlike the normal approximation it stays within [0, 1] and is sound for
 * small counts and for 0 % or 100 %. A mean of partial scores (ROUGE-1 recall) is treated as that many
 * successes, an approximation that is exact when every score is 0 or 1.
 */
export interface Interval {
  low: number;
  high: number;
}

export const Z_95 = 1.959963984540054;

export function wilsonInterval(successes: number, count: number, z = Z_95): Interval {
  if (count <= 0) return { low: 0, high: 1 };
  const p = Math.min(1, Math.max(0, successes / count));
  const z2 = z * z;
  const centre = (p + z2 / (2 * count)) / (1 + z2 / count);
  const half = (z / (1 + z2 / count)) * Math.sqrt((p * (1 - p)) / count + z2 / (4 * count * count));
  // At 0 % and 100 % the bound is exactly the proportion (the formula gives it up to rounding).
  return { low: p === 0 ? 0 : Math.max(0, centre - half), high: p === 1 ? 1 : Math.min(1, centre + half) };
}
