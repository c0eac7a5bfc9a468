/**
 * @module router/outcome-window
 * The last M call outcomes of one deployment in a fixed ring, for the breaker's failure-rate rule.
 * A count-based window (not a time-based one) needs no clock and costs O(1) per call.
 */

/** Success/failure of the most recent calls, oldest overwritten first. */
export class OutcomeWindow {
  readonly #failed: boolean[];
  #next = 0;
  #count = 0;
  #failures = 0;

  constructor(size: number) {
    this.#failed = new Array<boolean>(Math.max(1, Math.floor(size))).fill(false);
  }

  /** Adds one outcome, evicting the oldest once the window is full. */
  record(failed: boolean): void {
    const size = this.#failed.length;
    if (this.#count === size && this.#failed[this.#next] === true) this.#failures -= 1;
    this.#failed[this.#next] = failed;
    if (failed) this.#failures += 1;
    this.#next = (this.#next + 1) % size;
    this.#count = Math.min(this.#count + 1, size);
  }

  /** Outcomes held (at most the window size). */
  get count(): number {
    return this.#count;
  }

  /** Failures over outcomes held; 0 when empty. */
  get failureRate(): number {
    return this.#count === 0 ? 0 : this.#failures / this.#count;
  }

  /** Forgets everything; a deployment that recovered starts with a clean record. */
  clear(): void {
    this.#failed.fill(false);
    this.#next = 0;
    this.#count = 0;
    this.#failures = 0;
  }
}
