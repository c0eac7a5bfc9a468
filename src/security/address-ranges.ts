/**
 * @module security/address-ranges
 * The special-purpose address ranges the outbound policy knows, as data: which category each
 * range falls in, and which categories are allowed where. Built into `net.BlockList`s once, when
 * the module loads.
 * @see https://www.iana.org/assignments/iana-ipv4-special-registry/
 * @see https://www.iana.org/assignments/iana-ipv6-special-registry/
 */
import { BlockList } from "node:net";

/** What an address is, as far as the outbound policy cares. */
export type AddressCategory =
  /** Global unicast: the public internet. */
  | "public"
  | "loopback"
  /** RFC 1918 (10/8, 172.16/12, 192.168/16). */
  | "private"
  /** 100.64/10, carrier-grade NAT; Tailscale addresses live here. */
  | "shared"
  /** fc00::/7, IPv6 unique local (Docker and Kubernetes dual-stack networks). */
  | "unique-local"
  /** 64:ff9b:1::/48, NAT64 for a local network (RFC 8215). */
  | "local-nat64"
  /** 169.254/16, fe80::/10. Cloud metadata services live here. */
  | "link-local"
  /** A cloud metadata service: AWS, GCP, Azure, Alibaba, Tencent, Oracle … */
  | "metadata"
  /** 0.0.0.0/8 and `::`: on Linux, connecting to 0.0.0.0 reaches this machine. */
  | "unspecified"
  | "multicast"
  | "broadcast"
  /** Documentation examples (192.0.2/24, 2001:db8::/32 …): never a real server. */
  | "documentation"
  /** Benchmarking (198.18/15, 2001:2::/48). */
  | "benchmark"
  /** Reserved, deprecated or unallocated space (240/4, fec0::/10, 100::/64 …). */
  | "reserved"
  /** IPv6 forms that carry an IPv4 address to be reached by a relay (6to4, Teredo, IPv4-compatible, SIIT). */
  | "transition";

/** How the policy treats a category. */
export type AddressScope =
  /** Allowed in every mode. */
  | "public"
  /** Allowed in mode `local`; in mode `strict` only for an allow-listed origin. */
  | "local"
  /** Refused in every mode, allow-list or not. */
  | "forbidden";

/** The scope of every category. */
export const CATEGORY_SCOPE: Readonly<Record<AddressCategory, AddressScope>> = {
  public: "public",
  loopback: "local",
  private: "local",
  shared: "local",
  "unique-local": "local",
  "local-nat64": "local",
  "link-local": "forbidden",
  metadata: "forbidden",
  unspecified: "forbidden",
  multicast: "forbidden",
  broadcast: "forbidden",
  documentation: "forbidden",
  benchmark: "forbidden",
  reserved: "forbidden",
  transition: "forbidden",
};

/** A category in words, for messages: "a link-local address". */
export const CATEGORY_LABEL: Readonly<Record<AddressCategory, string>> = {
  public: "a public address",
  loopback: "a loopback address",
  private: "a private-network address",
  shared: "a carrier-grade NAT (100.64.0.0/10) address",
  "unique-local": "an IPv6 unique local address",
  "local-nat64": "a local-use NAT64 address",
  "link-local": "a link-local address",
  metadata: "a cloud metadata address",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  documentation: "a documentation-only address",
  benchmark: "a benchmarking address",
  reserved: "a reserved address",
  transition: "an IPv6 transition address carrying an IPv4 address",
};

type Rule = readonly [category: AddressCategory, cidr: string];

/**
 * Metadata endpoints, checked before the ranges that contain them. Most are link-local anyway and
 * are listed so refusals name them; 100.100.100.200 sits inside CGNAT (allowed in `local`) and
 * 168.63.129.16 is a public Microsoft address, so no range rule would catch those two.
 */
const IPV4_METADATA: readonly string[] = [
  "169.254.169.254", // AWS, GCP, Azure, OCI, DigitalOcean, OpenStack
  "169.254.170.2", // AWS ECS task metadata and credentials
  "169.254.170.23", // AWS EKS Pod Identity agent
  "169.254.0.23", // Tencent Cloud
  "169.254.42.42", // Scaleway
  "100.100.100.200", // Alibaba Cloud
  "168.63.129.16", // Azure WireServer / platform DNS
  "192.0.0.192", // Oracle Cloud, legacy metadata
];

/** IPv6 metadata endpoints: unique local addresses, so the ULA rule alone would allow them in `local`. */
const IPV6_METADATA: readonly string[] = [
  "fd00:ec2::254", // AWS IMDS over IPv6
  "fd00:ec2::23", // AWS EKS Pod Identity agent over IPv6
  "fd20:ce::254", // GCP metadata server on IPv6-only networks
];

/** Most specific first: the first rule that matches decides. */
const IPV4_RULES: readonly Rule[] = [
  ["broadcast", "255.255.255.255/32"],
  ["unspecified", "0.0.0.0/8"],
  ["loopback", "127.0.0.0/8"],
  ["private", "10.0.0.0/8"],
  ["private", "172.16.0.0/12"],
  ["private", "192.168.0.0/16"],
  ["shared", "100.64.0.0/10"],
  ["link-local", "169.254.0.0/16"],
  ["reserved", "192.0.0.0/24"], // IETF protocol assignments
  ["documentation", "192.0.2.0/24"],
  ["transition", "192.88.99.0/24"], // 6to4 relay anycast, deprecated by RFC 7526
  ["benchmark", "198.18.0.0/15"],
  ["documentation", "198.51.100.0/24"],
  ["documentation", "203.0.113.0/24"],
  ["multicast", "224.0.0.0/4"],
  ["reserved", "240.0.0.0/4"],
];

/**
 * IPv6 ranges without an embedded IPv4 (those are decoded in classify-address.ts). Anything outside
 * 2000::/3 that no rule names is unallocated and counts as reserved.
 */
const IPV6_RULES: readonly Rule[] = [
  ["unspecified", "::/128"],
  ["loopback", "::1/128"],
  ["reserved", "100::/64"], // discard-only (RFC 6666)
  ["benchmark", "2001:2::/48"],
  ["reserved", "2001:10::/28"], // ORCHID, deprecated
  ["reserved", "2001:20::/28"], // ORCHIDv2
  ["documentation", "2001:db8::/32"],
  ["documentation", "3fff::/20"], // RFC 9637
  ["unique-local", "fc00::/7"],
  ["link-local", "fe80::/10"],
  ["reserved", "fec0::/10"], // site-local, deprecated by RFC 3879
  ["multicast", "ff00::/8"],
];

/** One BlockList per category, in rule order, for one address family. */
export interface RangeTable {
  readonly metadata: BlockList;
  readonly rules: readonly (readonly [AddressCategory, BlockList])[];
}

function buildTable(metadata: readonly string[], rules: readonly Rule[], type: "ipv4" | "ipv6"): RangeTable {
  const metadataList = new BlockList();
  for (const address of metadata) metadataList.addAddress(address, type);
  const built: (readonly [AddressCategory, BlockList])[] = [];
  for (const [category, cidr] of rules) {
    const [network = "", prefix = ""] = cidr.split("/");
    const list = new BlockList();
    list.addSubnet(network, Number(prefix), type);
    built.push([category, list]);
  }
  return { metadata: metadataList, rules: built };
}

/** The IPv4 table. */
export const IPV4_TABLE: RangeTable = buildTable(IPV4_METADATA, IPV4_RULES, "ipv4");
/** The IPv6 table (IPv6 rules only; IPv4-embedding forms are unwrapped before it is consulted). */
export const IPV6_TABLE: RangeTable = buildTable(IPV6_METADATA, IPV6_RULES, "ipv6");

/** 2000::/3, the only IPv6 space IANA has allocated for global unicast. */
export const IPV6_GLOBAL_UNICAST: BlockList = (() => {
  const list = new BlockList();
  list.addSubnet("2000::", 3, "ipv6");
  return list;
})();
