/**
 * The unbiased pass@k estimator (Chen et al. 2021, "Evaluating Large Language Models Trained
 * on Code"): from n samples of which c are correct, the chance that at least one of k drawn
 * without replacement is correct, 1 − C(n−c, k) / C(n, k), computed as a product so large n
 * does not overflow.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k) && n >= 1 && c >= 0 && c <= n && k >= 1 && k <= n)) {
    throw new Error(`pass@k needs integers 1 ≤ k ≤ n and 0 ≤ c ≤ n, got n=${n}, c=${c}, k=${k}`);
  }
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

/** mean pass@k over items, each with its own correct count out of n samples */
export function meanPassAtK(correct: readonly number[], n: number, k: number): number {
  if (!correct.length) return 0;
  return correct.reduce((s, c) => s + passAtK(n, c, k), 0) / correct.length;
}
