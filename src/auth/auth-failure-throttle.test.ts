import { describe, expect, it } from "vitest";
import { AuthFailureThrottle } from "./auth-failure-throttle.js";

describe("AuthFailureThrottle", () => {
  it("blocks a client after the limit of failures until the minute is over", () => {
    const throttle = new AuthFailureThrottle({ limit: 3 });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(throttle.blockedFor("10.0.0.1", 1_000)).toBe(0);
      throttle.recordFailure("10.0.0.1", 1_000);
    }
    expect(throttle.blockedFor("10.0.0.1", 2_000)).toBe(59_000);
    expect(throttle.blockedFor("10.0.0.2", 2_000)).toBe(0);
    expect(throttle.blockedFor("10.0.0.1", 61_000)).toBe(0);
  });

  it("keeps memory bounded by forgetting the oldest client", () => {
    const throttle = new AuthFailureThrottle({ limit: 1, maxClients: 2 });
    throttle.recordFailure("a", 0);
    throttle.recordFailure("b", 0);
    throttle.recordFailure("c", 0);
    expect(throttle.blockedFor("a", 1)).toBe(0);
    expect(throttle.blockedFor("c", 1)).toBeGreaterThan(0);
  });
});
