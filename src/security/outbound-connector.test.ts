import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { createPolicyLookup, type Resolver } from "./outbound-connector.js";
import { OutboundForbiddenError, type OutboundRefusal } from "./outbound-policy.js";

interface LookupResult {
  readonly error: NodeJS.ErrnoException | null;
  readonly address: string | LookupAddress[];
  readonly family: number | undefined;
}

function lookupWith(answers: readonly string[], allowLocal: boolean, options: { all?: boolean; family?: number } = { all: true }): Promise<LookupResult> {
  const resolver: Resolver = async () => answers.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  const lookup = createPolicyLookup({ resolver, allowLocal, mode: allowLocal ? "local" : "strict", refuse: (refusal: OutboundRefusal) => new OutboundForbiddenError(refusal) });
  return new Promise((resolve) => {
    (lookup as (hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => void)(
      "upstream.test",
      options,
      (error, address, family) => resolve({ error, address, family }),
    );
  });
}

describe("createPolicyLookup", () => {
  it("hands back the vetted answers in canonical form", async () => {
    const result = await lookupWith(["127.0.0.1", "::FFFF:10.0.0.1"], true);
    expect(result.error).toBeNull();
    expect(result.address).toEqual([
      { address: "127.0.0.1", family: 4 },
      { address: "::ffff:a00:1", family: 6 },
    ]);
  });

  it("answers the single-address form when `all` is not asked for, honouring the family", async () => {
    expect(await lookupWith(["::1", "127.0.0.1"], true, {})).toMatchObject({ error: null, address: "::1", family: 6 });
    expect(await lookupWith(["::1", "127.0.0.1"], true, { family: 4 })).toMatchObject({ error: null, address: "127.0.0.1", family: 4 });
  });

  it("refuses the whole answer when any address in it is refused", async () => {
    for (const answers of [["169.254.169.254"], ["8.8.8.8", "169.254.169.254"], ["::ffff:169.254.169.254"], ["fd00:ec2::254"], ["fe80::1%eth0"], ["0.0.0.0"], ["::"], ["100.100.100.200"], ["64:ff9b::a9fe:a9fe"]]) {
      const result = await lookupWith(answers, true);
      expect(result.error, answers.join()).toBeInstanceOf(OutboundForbiddenError);
      expect((result.error as OutboundForbiddenError).code).toBe("ERR_OUTBOUND_FORBIDDEN");
    }
  });

  it("refuses loopback and private answers when local addresses are not allowed", async () => {
    for (const answers of [["127.0.0.1"], ["10.0.0.1"], ["::1"], ["fd12::1"], ["100.64.0.1"]]) {
      const result = await lookupWith(answers, false);
      expect(result.error, answers.join()).toBeInstanceOf(OutboundForbiddenError);
      expect((result.error as OutboundForbiddenError).refusal).toMatchObject({ reason: "resolved", host: "upstream.test", scope: "local", mode: "strict" });
    }
    expect((await lookupWith(["93.184.216.34"], false)).error).toBeNull();
  });

  it("refuses answers that are not IP addresses, and fails closed on an empty answer", async () => {
    expect((await lookupWith(["not-an-ip"], true)).error).toBeInstanceOf(OutboundForbiddenError);
    expect((await lookupWith([], true)).error?.code).toBe("ENOTFOUND");
  });

  it("passes resolver failures through with their code", async () => {
    const resolver: Resolver = () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND upstream.test"), { code: "ENOTFOUND" }));
    const lookup = createPolicyLookup({ resolver, allowLocal: true, mode: "local", refuse: (refusal) => new OutboundForbiddenError(refusal) });
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      (lookup as (hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null) => void) => void)("upstream.test", { all: true }, resolve);
    });
    expect(error?.code).toBe("ENOTFOUND");
  });
});
