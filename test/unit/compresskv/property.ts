import { createPrng } from "../../../src-main/compresskv/prng";

/** A seeded random source for property tests: each case gets its own reproducible stream. */
export interface CaseRandom {
  readonly seed: number;
  float(): number;
  int(min: number, maxInclusive: number): number;
}

/** Runs `check` for `cases` seeds; a failure names the seed so it can be replayed. */
export function forEachCase(cases: number, check: (random: CaseRandom) => void): void {
  for (let seed = 1; seed <= cases; seed++) {
    const next = createPrng(seed * 7919);
    const random: CaseRandom = {
      seed,
      float: next,
      int: (min, maxInclusive) => min + Math.floor(next() * (maxInclusive - min + 1)),
    };
    try {
      check(random);
    } catch (error) {
      throw new Error(`property failed for seed ${seed}: ${(error as Error).message}`, { cause: error });
    }
  }
}
