/**
 * @module providers/anthropic/dropped-params
 * The record of request parameters a translation could not carry over, so the caller can report
 * them (issue 5: nothing is dropped silently). Indexes are generalised (`messages[].name`) so a
 * long conversation lists each kind of loss once.
 */

/** One parameter the upstream will not see, and why. */
export interface DroppedParam {
  readonly param: string;
  readonly reason: string;
}

/** Collects dropped parameters in the order first seen, once each. */
export class DroppedParams {
  readonly #reasons = new Map<string, string>();

  /** Records a parameter; the first reason given for it is kept. */
  add(param: string, reason: string): void {
    const general = param.replace(/\[\d+\]/g, "[]");
    if (!this.#reasons.has(general)) this.#reasons.set(general, reason);
  }

  /** Everything recorded so far. */
  list(): DroppedParam[] {
    return [...this.#reasons].map(([param, reason]) => ({ param, reason }));
  }
}
