import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyAddress } from "./classify-address.js";
import { checkOutboundUrl } from "./check-outbound-url.js";
import { DEFAULT_OUTBOUND_POLICY, type OutboundPolicy } from "./outbound-policy.js";

const STRICT: OutboundPolicy = { mode: "strict", allowOrigins: new Set() };

function octets(value: number): [number, number, number, number] {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function dotted(value: number): string {
  return octets(value).join(".");
}

function hex16(high: number, low: number): string {
  return `${((high << 8) | low).toString(16)}`;
}

type Radix = "dec" | "oct" | "hex";

function part(value: number, radix: Radix): string {
  if (radix === "hex") return `0x${value.toString(16)}`;
  if (radix === "oct") return `0${value.toString(8)}`;
  return String(value);
}

/** Every way the WHATWG host parser accepts an IPv4 address (inet_aton forms). */
function ipv4Notations(value: number, radixes: readonly Radix[]): string[] {
  const [a, b, c, d] = octets(value);
  const r = (index: number): Radix => radixes[index % radixes.length] ?? "dec";
  return [
    dotted(value),
    `${dotted(value)}.`,
    String(value),
    `0x${value.toString(16)}`,
    `0${value.toString(8)}`,
    [a, b, c, d].map((octet, index) => part(octet, r(index))).join("."),
    `${part(a, r(0))}.${part(b, r(1))}.${part((c << 8) | d, r(2))}`,
    `${part(a, r(0))}.${part((b << 16) | (c << 8) | d, r(1))}`,
  ];
}

/** IPv6 spellings of an IPv4 address that the socket API (or a NAT64 gateway) delivers to that IPv4 address. */
function deliveringForms(value: number): string[] {
  const [a, b, c, d] = octets(value);
  const v4 = dotted(value);
  return [
    `::ffff:${v4}`,
    `[::ffff:${v4}]`,
    `::ffff:${hex16(a, b)}:${hex16(c, d)}`,
    `0:0:0:0:0:FFFF:${hex16(a, b)}:${hex16(c, d)}`,
    `64:ff9b::${v4}`,
    `64:ff9b::${hex16(a, b)}:${hex16(c, d)}`,
  ];
}

const ipv4 = fc.integer({ min: 0, max: 0xffffffff });
/** Biased towards the interesting ranges so every category is hit often. */
const interestingIpv4 = fc.oneof(
  ipv4,
  fc.constantFrom(0x7f000001, 0xa9fea9fe, 0x64646464 + 0x64, 0x0a000001, 0xac100001, 0xc0a80001, 0, 0xffffffff, 0xe0000001, 0xf0000001).map((value) => value >>> 0),
  fc.integer({ min: 0xa9fe0000, max: 0xa9feffff }),
  fc.integer({ min: 0x7f000000, max: 0x7fffffff }),
  fc.integer({ min: 0x64400000, max: 0x647fffff }),
);
const radixes = fc.array(fc.constantFrom<Radix>("dec", "oct", "hex"), { minLength: 1, maxLength: 4 });

describe("classifyAddress properties", () => {
  it("classifies every IPv4 notation exactly as its dotted form", () => {
    fc.assert(
      fc.property(interestingIpv4, radixes, (value, chosen) => {
        const expected = classifyAddress(dotted(value));
        expect(expected?.address).toBe(dotted(value));
        for (const notation of ipv4Notations(value, chosen)) {
          expect(classifyAddress(notation), notation).toEqual(expected);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives IPv6 forms that deliver to an IPv4 address the scope of that IPv4 address", () => {
    fc.assert(
      fc.property(interestingIpv4, (value) => {
        const inner = classifyAddress(dotted(value));
        for (const form of deliveringForms(value)) {
          const outer = classifyAddress(form);
          expect(outer?.scope, form).toBe(inner?.scope);
          expect(outer?.category, form).toBe(inner?.category);
          expect(outer?.embedded, form).toBe(dotted(value));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("never allows an IPv4-compatible, SIIT or 6to4 form", () => {
    fc.assert(
      fc.property(interestingIpv4, (value) => {
        const [a, b, c, d] = octets(value);
        const forms = [`::ffff:0:${dotted(value)}`, `2002:${hex16(a, b)}:${hex16(c, d)}::1`];
        // ::0.0.0.0 is "::" and ::0.0.0.1 is "::1": those two are not IPv4-compatible forms.
        if (value > 1) forms.push(`::${dotted(value)}`, `::${hex16(a, b)}:${hex16(c, d)}`);
        for (const form of forms) expect(classifyAddress(form)?.scope, form).toBe("forbidden");
      }),
    );
  });

  it("ignores IPv6 zone ids, brackets and letter case", () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map((value) => value.toString(16));
    const zone = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), zone, (groups, zoneId) => {
        const expanded = groups.join(":");
        const expected = classifyAddress(expanded);
        expect(expected).toBeDefined();
        expect(classifyAddress(`${expanded}%${zoneId}`)).toEqual(expected);
        expect(classifyAddress(`[${expanded.toUpperCase()}]`)).toEqual(expected);
        expect(classifyAddress(expected?.address ?? "")).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it("refuses a URL whose host is forbidden in any notation, in both modes, before any connection", () => {
    fc.assert(
      fc.property(interestingIpv4, radixes, (value, chosen) => {
        const inner = classifyAddress(dotted(value));
        const hosts = [...ipv4Notations(value, chosen), `[::ffff:${dotted(value)}]`, `[64:ff9b::${dotted(value)}]`];
        for (const host of hosts) {
          const url = `http://${host}:8080/v1`;
          const local = checkOutboundUrl(url, DEFAULT_OUTBOUND_POLICY);
          const strict = checkOutboundUrl(url, STRICT);
          expect(local.ok, url).toBe(inner?.scope !== "forbidden");
          expect(strict.ok, url).toBe(inner?.scope === "public");
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("puts every address of the always-refused IPv4 ranges in scope forbidden", () => {
    const inRange = (base: number, prefix: number) => fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => (base + offset) >>> 0);
    const forbidden = fc.oneof(
      inRange(0x00000000, 8),
      inRange(0xa9fe0000, 16),
      inRange(0xe0000000, 4),
      inRange(0xf0000000, 4),
      inRange(0xc0000200, 24),
      inRange(0xc6120000, 15),
      inRange(0xc6336400, 24),
      inRange(0xcb007100, 24),
    );
    fc.assert(
      fc.property(forbidden, (value) => {
        expect(classifyAddress(dotted(value))?.scope).toBe("forbidden");
      }),
      { numRuns: 2_000 },
    );
  });
});
