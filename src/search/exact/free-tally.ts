/**
 * The free (not yet carved) nodes of the exact search (solve.ts), tallied by β (boundary.ts) so
 * that the footprints still owed are bounded in O(max β), and kept as a bit set so that a free set
 * can be remembered as a dead end (search.ts).
 */
export class FreeTally {
  readonly maxBeta: number;
  /** Residents and nodes free, by β. */
  readonly freePop: Float64Array;
  readonly freeCount: Int32Array;
  /** Residents, by β, of the free nodes the growing footprint could still take in (tallied per step by the caller). */
  readonly joinPop: Float64Array;
  /** Bit v set while node v is free. */
  readonly freeBits: Uint32Array;

  constructor(
    n: number,
    private readonly beta: Int32Array,
    private readonly pop: ArrayLike<number>,
  ) {
    let maxBeta = 0;
    for (let v = 0; v < n; v++) maxBeta = Math.max(maxBeta, beta[v]);
    this.maxBeta = maxBeta;
    this.freePop = new Float64Array(maxBeta + 1);
    this.freeCount = new Int32Array(maxBeta + 1);
    this.joinPop = new Float64Array(maxBeta + 1);
    this.freeBits = new Uint32Array(Math.ceil(n / 32)).map((_, i) => (i < n >>> 5 ? 0xffffffff : (2 ** (n & 31) - 1) >>> 0));
    for (let v = 0; v < n; v++) {
      this.freePop[beta[v]] += pop[v];
      this.freeCount[beta[v]]++;
    }
  }

  /** Node v leaves the free set (is carved or joins the growing footprint). */
  take(v: number): void {
    this.freePop[this.beta[v]] -= this.pop[v];
    this.freeCount[this.beta[v]]--;
    this.freeBits[v >>> 5] ^= 1 << (v & 31);
  }

  /** Node v is free again. */
  release(v: number): void {
    this.freePop[this.beta[v]] += this.pop[v];
    this.freeCount[this.beta[v]]++;
    this.freeBits[v >>> 5] ^= 1 << (v & 31);
  }

  /**
   * A lower bound on Σ |δ(R_i)| over the j footprints the free nodes not joining the growing one will
   * form, when at most `room` residents of them (among those tallied in joinPop) join it, each
   * footprint holding at most `max`: Σ_i β_i = Σ_{t ≥ 1} #{i : β_i ≥ t}, and the free nodes with
   * β ≥ t, less what may join, need at least ⌈population / max⌉ footprints.
   */
  owedBoundary(j: number, room: number, max: number): number {
    if (j <= 0) return 0;
    const { maxBeta, freeCount, freePop, joinPop } = this;
    let least = -1;
    for (let b = 0; b <= maxBeta; b++) {
      if (freeCount[b] > 0) {
        least = b;
        break;
      }
    }
    if (least < 0) return 0;
    let sum = 0;
    let above = 0;
    let joining = 0;
    for (let t = maxBeta; t >= 1; t--) {
      above += freePop[t];
      if (room > 0) joining += joinPop[t];
      const owedPop = above - Math.min(room, joining);
      sum += t <= least ? j : Math.min(j, Math.max(0, Math.ceil(owedPop / max - 1e-9)));
    }
    return sum;
  }

  /** The free set and the number of footprints owed from it, as a Map key. */
  key(owed: number): string {
    const bits = this.freeBits;
    let key = String.fromCharCode(owed);
    for (let i = 0; i < bits.length; i++) key += String.fromCharCode(bits[i] & 0xffff, bits[i] >>> 16);
    return key;
  }
}
