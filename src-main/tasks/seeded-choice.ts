/** Small seeded choices shared by the task generators; `random` is a PRNG from compresskv/prng. */
export type Random = () => number;

export function pickOne<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** `count` digits, the first not zero. */
export function randomDigits(random: Random, count: number): string {
  let digits = String(1 + Math.floor(random() * 9));
  while (digits.length < count) digits += String(Math.floor(random() * 10));
  return digits;
}

/** `count` distinct values drawn by `draw` (which must be able to give that many). */
export function distinct<T>(count: number, draw: () => T): T[] {
  const seen = new Set<T>();
  while (seen.size < count) seen.add(draw());
  return [...seen];
}
