import type { TrialResult } from "./trial-result";

/** Two conditions on the items both answered: how often each scored higher, and the sign test's p-value. */
export interface PairedComparison {
  items: number;
  /** Items where the first condition scored higher, lower, the same. */
  wins: number;
  losses: number;
  ties: number;
  /** Two-sided exact sign test over the items that differ (ties dropped); 1 when none differ. */
  p: number;
}

/** P(X <= k) + P(X >= n - k) for X ~ Binomial(n, 1/2), k = min(wins, losses), capped at 1. */
export function signTestP(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  let tail = 0;
  let coefficient = 1; // C(n, 0)
  for (let i = 0; i <= k; i++) {
    tail += coefficient;
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

/** Pairs `a` and `b` (condition keys) item by item. */
export function comparePaired(results: readonly TrialResult[], a: string, b: string): PairedComparison {
  const scoresOf = (condition: string) =>
    new Map(results.filter((r) => r.condition === condition).map((r) => [r.item, r.score]));
  const first = scoresOf(a);
  const second = scoresOf(b);
  let wins = 0;
  let losses = 0;
  let ties = 0;
  for (const [item, score] of first) {
    const other = second.get(item);
    if (other === undefined) continue;
    if (score > other) wins++;
    else if (score < other) losses++;
    else ties++;
  }
  return { items: wins + losses + ties, wins, losses, ties, p: signTestP(wins, losses) };
}
