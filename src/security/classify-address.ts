/**
 * @module security/classify-address
 * Says what an IP address is (loopback, private, link-local, cloud metadata, …) whatever its
 * notation: dotted, decimal, octal, hex and short IPv4 (normalised by the WHATWG URL parser, the
 * one undici connects with), bracketed IPv6, zone ids, and IPv6 forms that embed an IPv4 address
 * (IPv4-mapped, IPv4-compatible, SIIT, NAT64, 6to4, Teredo). Pure: strings in, a classification out.
 */
import { isIPv4, isIPv6 } from "node:net";
import { CATEGORY_SCOPE, IPV4_TABLE, IPV6_GLOBAL_UNICAST, IPV6_TABLE, type AddressCategory, type AddressScope, type RangeTable } from "./address-ranges.js";

export type { AddressCategory, AddressScope } from "./address-ranges.js";

/** What an address is. */
export interface AddressClassification {
  /** Canonical spelling: dotted-quad IPv4, or IPv6 as the WHATWG URL serializer writes it (no zone, no brackets). */
  readonly address: string;
  readonly family: 4 | 6;
  readonly category: AddressCategory;
  readonly scope: AddressScope;
  /** The IPv4 address an IPv6 form carries, when the classification came from it. */
  readonly embedded?: string;
}

/** Characters that make a string a URL rather than a host; such input is never an address. */
const NOT_A_HOST = /[/\\@?#\s:[\]]/;

function classifyIPv4(address: string): AddressClassification {
  return { address, family: 4, ...lookupCategory(address, "ipv4", IPV4_TABLE) };
}

function lookupCategory(address: string, type: "ipv4" | "ipv6", table: RangeTable): { category: AddressCategory; scope: AddressScope } {
  if (table.metadata.check(address, type)) return { category: "metadata", scope: "forbidden" };
  for (const [category, list] of table.rules) {
    if (list.check(address, type)) return { category, scope: CATEGORY_SCOPE[category] };
  }
  if (type === "ipv6" && !IPV6_GLOBAL_UNICAST.check(address, "ipv6")) return { category: "reserved", scope: "forbidden" };
  return { category: "public", scope: "public" };
}

/** The eight 16-bit groups of a valid IPv6 address (zone already removed). */
export function ipv6Groups(address: string): number[] {
  let text = address;
  // A trailing dotted quad (::ffff:1.2.3.4) is two groups: rewrite it as hex first.
  const lastColon = text.lastIndexOf(":");
  const last = text.slice(lastColon + 1);
  if (last.includes(".")) {
    const [a = 0, b = 0, c = 0, d = 0] = last.split(".").map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string): number[] => (part === "" ? [] : part.split(":").map((group) => Number.parseInt(group, 16)));
  const gap = text.indexOf("::");
  if (gap === -1) return parse(text);
  const head = parse(text.slice(0, gap));
  const rest = parse(text.slice(gap + 2));
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
}

function dotted(high: number, low: number): string {
  return `${high >>> 8}.${high & 0xff}.${low >>> 8}.${low & 0xff}`;
}

function canonicalIPv6(address: string): string {
  // The URL serializer compresses the longest zero run and writes an embedded IPv4 as hex, the
  // same spelling undici later sees.
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** Classification of an IPv6 form that carries an IPv4 address. */
function carrying(address: string, embedded: string, category: AddressCategory | "inherit"): AddressClassification {
  const inner = classifyIPv4(embedded);
  if (category === "inherit") return { address, family: 6, category: inner.category, scope: inner.scope, embedded };
  return { address, family: 6, category, scope: CATEGORY_SCOPE[category], embedded };
}

function classifyIPv6(raw: string): AddressClassification {
  const groups = ipv6Groups(raw);
  const address = canonicalIPv6(raw);
  const g = (index: number): number => groups[index] ?? 0;
  const zeros = (from: number, to: number): boolean => groups.slice(from, to).every((group) => group === 0);
  // ::ffff:a.b.c.d — the socket API reaches the IPv4 address itself, so it is whatever that is.
  if (zeros(0, 5) && g(5) === 0xffff) return carrying(address, dotted(g(6), g(7)), "inherit");
  // ::a.b.c.d (IPv4-compatible, deprecated by RFC 4291) — :: and ::1 excepted.
  if (zeros(0, 6) && (g(6) !== 0 || g(7) > 1)) return carrying(address, dotted(g(6), g(7)), "transition");
  // ::ffff:0:a.b.c.d (SIIT IPv4-translated, RFC 2765).
  if (zeros(0, 4) && g(4) === 0xffff && g(5) === 0) return carrying(address, dotted(g(6), g(7)), "transition");
  // 64:ff9b::/96 (RFC 6052): a NAT64 gateway reaches the embedded IPv4 address, so it is whatever that is.
  if (g(0) === 0x64 && g(1) === 0xff9b && zeros(2, 6)) return carrying(address, dotted(g(6), g(7)), "inherit");
  if (g(0) === 0x64 && g(1) === 0xff9b && g(2) === 1) return classifyLocalNat64(address, groups);
  // 2002::/16 (6to4, deprecated by RFC 7526): the relay reaches the IPv4 address in groups 1-2.
  if (g(0) === 0x2002) return carrying(address, dotted(g(1), g(2)), "transition");
  // 2001::/32 (Teredo): server IPv4 in groups 2-3, client IPv4 inverted in groups 6-7.
  if (g(0) === 0x2001 && g(1) === 0) return carrying(address, dotted(g(6) ^ 0xffff, g(7) ^ 0xffff), "transition");
  return { address, family: 6, ...lookupCategory(address, "ipv6", IPV6_TABLE) };
}

/**
 * 64:ff9b:1::/48 (RFC 8215) lets a network put its IPv4 bits at any RFC 6052 position from /48 to
 * /96, so the embedded address is ambiguous. Every reading that fits the format (bits 64-71 and
 * the suffix zero) and is not all zeros counts: refused when any of them is refused.
 */
function classifyLocalNat64(address: string, groups: readonly number[]): AddressClassification {
  const bytes = groups.flatMap((group) => [group >>> 8, group & 0xff]);
  const zero = (from: number, to: number): boolean => bytes.slice(from, to).every((byte) => byte === 0);
  const at = (indexes: readonly number[]): string => indexes.map((index) => bytes[index] ?? 0).join(".");
  // RFC 6052 §2.2: [IPv4 byte positions, first suffix byte] for prefix lengths 48, 56, 64 and 96.
  const layouts: readonly (readonly [readonly number[], number])[] = [
    [[6, 7, 9, 10], 11],
    [[7, 9, 10, 11], 12],
    [[9, 10, 11, 12], 13],
    [[12, 13, 14, 15], 16],
  ];
  const readings = bytes[8] !== 0 ? [] : layouts.filter(([, suffix]) => zero(suffix, 16)).map(([indexes]) => at(indexes));
  let meaningful = false;
  for (const embedded of readings) {
    if (embedded === "0.0.0.0") continue;
    meaningful = true;
    const inner = classifyIPv4(embedded);
    if (inner.scope === "forbidden") return { address, family: 6, category: inner.category, scope: "forbidden", embedded };
  }
  if (!meaningful) return { address, family: 6, category: "reserved", scope: "forbidden" };
  return { address, family: 6, category: "local-nat64", scope: "local" };
}

/**
 * Turns host notations the WHATWG parser accepts as IPv4 (`2852039166`, `0xa9fea9fe`,
 * `0251.0376.0251.0376`, `169.254.43518`, `127.1`) into dotted form; undefined when the string is
 * not an IPv4 host.
 */
function legacyIPv4(host: string): string | undefined {
  if (NOT_A_HOST.test(host) || host === "") return undefined;
  try {
    const hostname = new URL(`http://${host}/`).hostname;
    return isIPv4(hostname) ? hostname : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Classifies an IP address in any notation, or returns undefined when `input` is not an IP
 * address (a host name). Brackets and an IPv6 zone id (`fe80::1%eth0`) are accepted and removed.
 */
export function classifyAddress(input: string): AddressClassification | undefined {
  let host = input.trim().toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  const zone = host.indexOf("%");
  // Zone ids only exist on IPv6; "%" anywhere else is not an address.
  if (zone !== -1 && host.includes(":")) host = host.slice(0, zone);
  if (isIPv4(host)) return classifyIPv4(host);
  if (isIPv6(host)) return classifyIPv6(host);
  const legacy = legacyIPv4(host);
  return legacy === undefined ? undefined : classifyIPv4(legacy);
}
