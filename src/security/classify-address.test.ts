import { describe, expect, it } from "vitest";
import { classifyAddress, ipv6Groups } from "./classify-address.js";

function category(input: string): string | undefined {
  return classifyAddress(input)?.category;
}

function scope(input: string): string | undefined {
  return classifyAddress(input)?.scope;
}

describe("classifyAddress", () => {
  it.each([
    ["127.0.0.1", "loopback", "local"],
    ["127.255.255.254", "loopback", "local"],
    ["::1", "loopback", "local"],
    ["10.1.2.3", "private", "local"],
    ["172.16.0.1", "private", "local"],
    ["172.31.255.255", "private", "local"],
    ["192.168.1.20", "private", "local"],
    ["100.64.0.1", "shared", "local"],
    ["100.101.102.103", "shared", "local"],
    ["fd12:3456::1", "unique-local", "local"],
    ["fc00::1", "unique-local", "local"],
    ["169.254.1.1", "link-local", "forbidden"],
    ["fe80::1", "link-local", "forbidden"],
    ["febf::1", "link-local", "forbidden"],
    ["169.254.169.254", "metadata", "forbidden"],
    ["169.254.170.2", "metadata", "forbidden"],
    ["100.100.100.200", "metadata", "forbidden"],
    ["168.63.129.16", "metadata", "forbidden"],
    ["fd00:ec2::254", "metadata", "forbidden"],
    ["0.0.0.0", "unspecified", "forbidden"],
    ["0.1.2.3", "unspecified", "forbidden"],
    ["::", "unspecified", "forbidden"],
    ["224.0.0.1", "multicast", "forbidden"],
    ["239.255.255.250", "multicast", "forbidden"],
    ["ff02::1", "multicast", "forbidden"],
    ["255.255.255.255", "broadcast", "forbidden"],
    ["240.0.0.1", "reserved", "forbidden"],
    ["192.0.0.8", "reserved", "forbidden"],
    ["192.0.2.10", "documentation", "forbidden"],
    ["198.51.100.7", "documentation", "forbidden"],
    ["203.0.113.99", "documentation", "forbidden"],
    ["2001:db8::1", "documentation", "forbidden"],
    ["198.18.0.1", "benchmark", "forbidden"],
    ["198.19.255.255", "benchmark", "forbidden"],
    ["2001:2::1", "benchmark", "forbidden"],
    ["100::1", "reserved", "forbidden"],
    ["fec0::1", "reserved", "forbidden"],
    ["4000::1", "reserved", "forbidden"],
    ["8.8.8.8", "public", "public"],
    ["1.1.1.1", "public", "public"],
    ["172.32.0.1", "public", "public"],
    ["100.128.0.1", "public", "public"],
    ["2606:4700::1111", "public", "public"],
  ])("classifies %s as %s (%s)", (input, expectedCategory, expectedScope) => {
    expect(category(input)).toBe(expectedCategory);
    expect(scope(input)).toBe(expectedScope);
  });

  it.each([
    ["2852039166", "169.254.169.254"],
    ["0xa9fea9fe", "169.254.169.254"],
    ["0251.0376.0251.0376", "169.254.169.254"],
    ["0xa9.0xfe.0xa9.0xfe", "169.254.169.254"],
    ["169.254.43518", "169.254.169.254"],
    ["169.16689662", "169.254.169.254"],
    ["127.1", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0", "0.0.0.0"],
    ["017700000001", "127.0.0.1"],
  ])("reads the legacy IPv4 notation %s as %s", (input, dotted) => {
    expect(classifyAddress(input)?.address).toBe(dotted);
  });

  it("refuses the metadata address in every IPv4 notation", () => {
    for (const input of ["169.254.169.254", "2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518", "[::ffff:169.254.169.254]", "::ffff:a9fe:a9fe"]) {
      expect(classifyAddress(input), input).toMatchObject({ category: "metadata", scope: "forbidden" });
    }
  });

  it("strips brackets and IPv6 zone ids before classifying", () => {
    expect(classifyAddress("[::1]")).toMatchObject({ address: "::1", category: "loopback" });
    expect(classifyAddress("fe80::1%eth0")).toMatchObject({ address: "fe80::1", category: "link-local", scope: "forbidden" });
    expect(classifyAddress("[fe80::1%25eth0]")).toMatchObject({ category: "link-local" });
    expect(classifyAddress("fd00:ec2::254%eth0")).toMatchObject({ category: "metadata", scope: "forbidden" });
  });

  it("classifies an IPv4-mapped address as the IPv4 address it carries, dotted or hex", () => {
    expect(classifyAddress("::ffff:127.0.0.1")).toMatchObject({ address: "::ffff:7f00:1", category: "loopback", scope: "local", embedded: "127.0.0.1" });
    expect(classifyAddress("::ffff:7f00:1")).toMatchObject({ category: "loopback", embedded: "127.0.0.1" });
    expect(classifyAddress("0:0:0:0:0:ffff:a9fe:a9fe")).toMatchObject({ category: "metadata", embedded: "169.254.169.254" });
    expect(classifyAddress("::ffff:10.0.0.1")).toMatchObject({ category: "private", scope: "local" });
    expect(classifyAddress("::ffff:8.8.8.8")).toMatchObject({ category: "public", scope: "public" });
  });

  it("refuses IPv4-compatible and IPv4-translated forms, naming the IPv4 they carry", () => {
    expect(classifyAddress("::169.254.169.254")).toMatchObject({ category: "transition", scope: "forbidden", embedded: "169.254.169.254" });
    expect(classifyAddress("::7f00:1")).toMatchObject({ category: "transition", scope: "forbidden", embedded: "127.0.0.1" });
    expect(classifyAddress("::ffff:0:a9fe:a9fe")).toMatchObject({ category: "transition", scope: "forbidden", embedded: "169.254.169.254" });
  });

  it("classifies NAT64 64:ff9b::/96 as the IPv4 address it carries", () => {
    expect(classifyAddress("64:ff9b::169.254.169.254")).toMatchObject({ category: "metadata", scope: "forbidden", embedded: "169.254.169.254" });
    expect(classifyAddress("64:ff9b::a9fe:1")).toMatchObject({ category: "link-local", scope: "forbidden" });
    expect(classifyAddress("64:ff9b::808:808")).toMatchObject({ category: "public", scope: "public", embedded: "8.8.8.8" });
    expect(classifyAddress("64:ff9b::10.0.0.1")).toMatchObject({ category: "private", scope: "local" });
  });

  it("refuses local-use NAT64 64:ff9b:1::/48 when any reading of its IPv4 bits is refused", () => {
    // /96 position
    expect(classifyAddress("64:ff9b:1::a9fe:a9fe")).toMatchObject({ scope: "forbidden", embedded: "169.254.169.254" });
    // /48 position: bytes 6-7 and 9-10 (byte 8 is the reserved "u" octet)
    expect(classifyAddress("64:ff9b:1:a9fe:00a9:fe00::")).toMatchObject({ scope: "forbidden", embedded: "169.254.169.254" });
    expect(classifyAddress("64:ff9b:1:808:8:800::")).toMatchObject({ category: "local-nat64", scope: "local" });
  });

  it("refuses 6to4 and Teredo addresses and names the IPv4 they carry", () => {
    expect(classifyAddress("2002:a9fe:a9fe::1")).toMatchObject({ category: "transition", scope: "forbidden", embedded: "169.254.169.254" });
    expect(classifyAddress("2002:808:808::1")).toMatchObject({ category: "transition", scope: "forbidden", embedded: "8.8.8.8" });
    // Teredo stores the client address inverted: ~0x7f000001 = 0x80fffffe.
    expect(classifyAddress("2001:0:4136:e378:8000:63bf:80ff:fffe")).toMatchObject({ category: "transition", scope: "forbidden", embedded: "127.0.0.1" });
  });

  it("returns undefined for host names and garbage", () => {
    for (const input of ["example.com", "localhost", "metadata.google.internal", "", "1.2.3.4.5", "4294967296", "http://127.0.0.1/", "127.0.0.1:80", "a@127.0.0.1", "09.0.0.1"]) {
      expect(classifyAddress(input), input).toBeUndefined();
    }
  });

  it("writes IPv6 addresses in the URL serializer's canonical form", () => {
    expect(classifyAddress("FD00:EC2:0:0:0:0:0:254")?.address).toBe("fd00:ec2::254");
    expect(classifyAddress("::ffff:169.254.169.254")?.address).toBe("::ffff:a9fe:a9fe");
  });
});

describe("ipv6Groups", () => {
  it("expands compressed forms and trailing dotted quads", () => {
    expect(ipv6Groups("::")).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups("fe80::")).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(ipv6Groups("1:2:3:4:5:6:7.8.9.10")).toEqual([1, 2, 3, 4, 5, 6, 0x0708, 0x090a]);
    expect(ipv6Groups("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
