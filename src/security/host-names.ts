/**
 * @module security/host-names
 * Host names the outbound policy knows without asking DNS: cloud metadata names (refused before
 * any lookup, since their answers differ per cloud and may not be link-local) and `localhost`.
 */
import type { AddressCategory, AddressScope } from "./address-ranges.js";

/**
 * Metadata service names. GCP answers `metadata.google.internal`, `metadata.goog` and the short
 * `metadata` (reached through the resolv.conf search list); AWS `instance-data` and
 * `instance-data.ec2.internal`; Tencent `metadata.tencentyun.com`; Azure `metadata.azure.com`
 * (listed by Portkey's validator; harmless to refuse: no model API lives there).
 */
const METADATA_NAMES: ReadonlySet<string> = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "metadata.azure.com",
  "metadata.tencentyun.com",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** What a name is known to be before resolution. */
export interface NameClassification {
  readonly category: AddressCategory;
  readonly scope: AddressScope;
}

/** Lower-cases a host name and drops trailing dots (`Metadata.Google.Internal.` → `metadata.google.internal`). */
export function normalizeHostName(name: string): string {
  return name.toLowerCase().replace(/\.+$/, "");
}

/**
 * Classifies a host name that needs no DNS to judge: metadata names (forbidden) and `localhost`
 * and `*.localhost`, which RFC 6761 §6.3 reserves for loopback. Undefined for every other name:
 * its addresses are checked when the connection resolves it.
 */
export function classifyHostName(name: string): NameClassification | undefined {
  const host = normalizeHostName(name);
  if (METADATA_NAMES.has(host)) return { category: "metadata", scope: "forbidden" };
  if (host === "localhost" || host.endsWith(".localhost")) return { category: "loopback", scope: "local" };
  return undefined;
}
