/**
 * @module router/outcome-window.test
 * The ring holds exactly the last M outcomes: its failure rate always equals a plain recount.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OutcomeWindow } from "./outcome-window.js";

describe("OutcomeWindow", () => {
  it("reports the failure rate of the last M outcomes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.boolean(), { maxLength: 60, size: "max" }), (size, outcomes) => {
        const window = new OutcomeWindow(size);
        outcomes.forEach((failed, index) => {
          window.record(failed);
          const recent = outcomes.slice(Math.max(0, index + 1 - size), index + 1);
          expect(window.count).toBe(recent.length);
          expect(window.failureRate).toBeCloseTo(recent.filter(Boolean).length / recent.length, 12);
        });
      }),
    );
  });

  it("is empty after clear", () => {
    const window = new OutcomeWindow(3);
    window.record(true);
    window.clear();
    expect([window.count, window.failureRate]).toEqual([0, 0]);
  });
});
