/** The last few latencies (ms), enough for a live median on the dashboard without keeping history. */
export class LatencyWindow {
  readonly #samples: Float64Array;
  #next = 0;
  #count = 0;

  constructor(capacity = 128) {
    this.#samples = new Float64Array(capacity);
  }

  add(milliseconds: number): void {
    this.#samples[this.#next] = milliseconds;
    this.#next = (this.#next + 1) % this.#samples.length;
    this.#count = Math.min(this.#count + 1, this.#samples.length);
  }

  /** Median of the kept samples; null before the first one. */
  median(): number | null {
    if (this.#count === 0) return null;
    const sorted = this.#samples.slice(0, this.#count).sort();
    const middle = this.#count >> 1;
    return this.#count % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }
}
