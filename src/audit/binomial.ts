/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9): about 15 significant digits. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln P(X = k) for X ~ Binomial(n, p), 0 < p < 1. */
function logPmf(k: number, n: number, p: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the one-sided tail the rate alert tests. Summed term by term from k
 * in log space (no cancellation for tiny tails); beyond the mode each term shrinks, so the sum stops
 * once the rest can't change it.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0)
    throw new RangeError("k and n must be integers, n ≥ 0");
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const mode = Math.floor((n + 1) * p);
  if (k <= mode) {
    // The tail holds the bulk: 1 − P(X ≤ k − 1), summed downwards from k − 1 the same way.
    let sum = 0;
    for (let i = k - 1; i >= 0; i--) {
      const term = Math.exp(logPmf(i, n, p));
      sum += term;
      if (i < mode && term < sum * 1e-17) break;
    }
    return Math.max(0, 1 - sum);
  }
  let sum = 0;
  for (let i = k; i <= n; i++) {
    const term = Math.exp(logPmf(i, n, p));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.min(1, sum);
}
