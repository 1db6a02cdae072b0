/**
 * Seeded pseudo-random numbers (mulberry32): training batches, dropout-free init and sampling must
 * be reproducible from a seed, which Math.random cannot give.
 */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** The generator's state, to save in a checkpoint and resume from. */
  get snapshot(): number {
    return this.state;
  }
  static fromSnapshot(state: number): Random {
    const r = new Random(1);
    r.state = state >>> 0;
    return r;
  }
}
