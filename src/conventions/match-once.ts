/**
 * One pass of a matching: which candidates it may look at for a request, and what a pair must satisfy.
 * `key` narrows the candidates to those whose `candidate` key equals the request's (a request without
 * a key gets none in this pass); without `key` every candidate is tried.
 */
export interface MatchPass<R, C> {
  readonly key?: KeyPair<R, C>;
  readonly test?: (request: R, candidate: C) => boolean;
}

/** The key a request and a candidate are looked up by (a call id, a tool name, a span id). */
export interface KeyPair<R, C> {
  readonly request: (request: R) => string | undefined;
  readonly candidate: (candidate: C) => string | undefined;
}

function indexBy<C>(candidates: readonly C[], key: (c: C) => string | undefined): Map<string, number[]> {
  const index = new Map<string, number[]>();
  candidates.forEach((c, i) => {
    const k = key(c);
    if (k === undefined) return;
    const list = index.get(k);
    if (list) list.push(i);
    else index.set(k, [i]);
  });
  return index;
}

/**
 * Pairs requests with candidates, each candidate used at most once: every pass runs over all requests
 * still open before the next, looser pass starts, so a request that matches strictly (by call id) is
 * never robbed by an earlier request that matches loosely (by name). Within a pass, requests take the
 * first free candidate in candidate order. Returns, per request, the index of its candidate or -1. Pure.
 */
export function matchOnce<R, C>(
  requests: readonly R[],
  candidates: readonly C[],
  passes: readonly MatchPass<R, C>[],
): number[] {
  const matchOf = new Array<number>(requests.length).fill(-1);
  if (candidates.length === 0) return matchOf;
  const taken = new Array<boolean>(candidates.length).fill(false);
  const indexes = new Map<KeyPair<R, C>["candidate"], Map<string, number[]>>();
  let all: number[] | undefined;
  let open = requests.length;
  for (const pass of passes) {
    // Every request has its candidate: the looser passes have nothing left to pair.
    if (open === 0) break;
    let index: Map<string, number[]> | undefined;
    if (pass.key) {
      index = indexes.get(pass.key.candidate) ?? indexBy(candidates, pass.key.candidate);
      indexes.set(pass.key.candidate, index);
    }
    for (let r = 0; r < requests.length; r++) {
      if (matchOf[r] !== -1) continue;
      const request = requests[r]!;
      let pool: readonly number[] | undefined;
      if (pass.key) {
        const k = pass.key.request(request);
        pool = k === undefined ? undefined : index!.get(k);
      } else {
        all ??= candidates.map((_, i) => i);
        pool = all;
      }
      if (!pool) continue;
      for (const c of pool) {
        if (taken[c] || (pass.test && !pass.test(request, candidates[c]!))) continue;
        taken[c] = true;
        matchOf[r] = c;
        open--;
        break;
      }
    }
  }
  return matchOf;
}
