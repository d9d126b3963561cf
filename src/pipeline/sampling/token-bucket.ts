const NS_PER_SECOND = 1_000_000_000;

/**
 * `golang.org/x/time/rate.Limiter.AllowN` with the clock replaced by recorded time (unix ns): tokens
 * refill at `rate` per second up to `burst`, starting full; a request for more than `burst` never
 * passes; a request passes when the tokens left would not be negative by a whole nanosecond of refill
 * (`durationFromTokens` truncates). A rate of 0 or less makes `burst` a one-time allowance, as in Go
 * (the `limit == 0` branch of reserveN; no refill and an infinite wait for a negative limit).
 */
export class TokenBucket {
  private tokens: number;
  private burst: number;
  private last: bigint | undefined;

  constructor(
    private readonly rate: number,
    burst: number,
  ) {
    this.burst = burst;
    this.tokens = burst;
  }

  /** Whether `n` tokens are there at `at`; takes them unless `probe`. */
  allow(at: bigint, n: number, probe = false): boolean {
    if (this.rate <= 0) {
      const ok = this.burst >= n;
      if (ok && !probe) this.burst -= n;
      return ok;
    }
    let tokens = this.tokens;
    if (this.last === undefined) tokens = this.burst;
    else {
      const elapsed = at > this.last ? at - this.last : 0n;
      const seconds = Number(elapsed / 1_000_000_000n) + Number(elapsed % 1_000_000_000n) / NS_PER_SECOND;
      tokens = Math.min(this.burst, tokens + seconds * this.rate);
    }
    tokens -= n;
    const waitNs = tokens < 0 ? Math.trunc((-tokens / this.rate) * NS_PER_SECOND) : 0;
    const ok = n <= this.burst && waitNs <= 0;
    if (ok && !probe) {
      this.tokens = tokens;
      this.last = at;
    }
    return ok;
  }
}
