/**
 * A small seeded random source, so placement is repeatable in tests and benchmarks. Placement
 * takes any `Rng`; production passes `seededRandom(<anything>)` or `Math.random`.
 */

/** Returns a float in [0, 1), like `Math.random`. */
export type Rng = () => number;

/**
 * mulberry32: 32-bit state, fast, good enough statistical quality for sampling hosts (not for
 * secrets). The same seed gives the same sequence.
 */
export function seededRandom(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher-Yates shuffle of `items[0..length)` in place. */
export function shuffleInPlace(items: Int32Array | number[], length: number, rng: Rng): void {
  for (let i = length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}
