/**
 * @module security/outbound-connector
 * The dynamic half of the outbound policy: an undici connector that judges the address each new
 * connection goes to. IP-literal hosts are judged before the socket is created (Node calls no
 * lookup for them); names are resolved by a `lookup` hook inside `net.connect`, every answer is
 * judged, and only the judged addresses are handed back — so the address checked is the address
 * connected to, with no second lookup in between (no DNS-rebinding gap). Runs once per new
 * connection, never per request: keep-alive sockets stay bound to the address they were vetted for.
 * @see https://github.com/nodejs/undici/blob/main/docs/docs/api/Connector.md
 */
import type { LookupAddress, LookupOptions } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import type { buildConnector as BuildConnector } from "undici";
import { buildConnector } from "../upstream/undici-runtime.js";
import { classifyAddress } from "./classify-address.js";
import { checkHost } from "./check-outbound-url.js";
import { allowsLocal, OutboundForbiddenError, scopeAllowed, type OutboundPolicy, type OutboundRefusal } from "./outbound-policy.js";

/** One DNS answer. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to every address it has. Injectable so tests never need real DNS. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/**
 * The system resolver (getaddrinfo, so /etc/hosts and the search list apply, as for any other
 * program). `verbatim` keeps the resolver's order, as Node's own default lookup does.
 */
export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** What the connector needs to know. */
export interface OutboundConnectorOptions {
  /** The pool's origin, for the allow-list. */
  readonly origin: string;
  readonly policy: OutboundPolicy;
  /** Connect timeout in ms; it covers the DNS lookup too, so a slow resolver fails closed. */
  readonly timeoutMs: number;
  readonly resolver?: Resolver;
  /** Called once per refused connection, before the error reaches the request (for logging). */
  readonly onRefused?: (refusal: OutboundRefusal, origin: string) => void;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for `net.connect` that resolves through `resolver` and refuses the whole answer if any
 * address in it is refused: a mix of public and private answers is what DNS rebinding looks like.
 */
export function createPolicyLookup(options: { readonly resolver: Resolver; readonly allowLocal: boolean; readonly mode: OutboundPolicy["mode"]; readonly refuse: (refusal: OutboundRefusal) => Error }): LookupFunction {
  const { resolver, allowLocal, mode, refuse } = options;
  const lookup = (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback): void => {
    resolver(hostname).then(
      (answers) => {
        const vetted: LookupAddress[] = [];
        for (const answer of answers) {
          const known = classifyAddress(answer.address);
          if (known === undefined) return callback(refuse({ reason: "bad-answer", host: hostname }), []);
          if (!scopeAllowed(known.scope, allowLocal)) {
            const embedded = known.embedded === undefined ? {} : { embedded: known.embedded };
            return callback(refuse({ reason: "resolved", host: hostname, address: known.address, category: known.category, scope: known.scope, mode, ...embedded }), []);
          }
          // Hand back the canonical spelling that was judged, never the raw answer.
          if (lookupOptions.family === undefined || lookupOptions.family === 0 || lookupOptions.family === known.family) vetted.push({ address: known.address, family: known.family });
        }
        const first = vetted[0];
        if (first === undefined) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname }), []);
        if (lookupOptions.all === true) return callback(null, vetted);
        return callback(null, first.address, first.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), []),
    );
  };
  return lookup as LookupFunction;
}

/** Builds the connector for one pool. */
export function buildOutboundConnector(options: OutboundConnectorOptions): BuildConnector.connector {
  const { origin, policy } = options;
  const allowLocal = allowsLocal(policy, origin);
  const refuse = (refusal: OutboundRefusal): Error => {
    options.onRefused?.(refusal, origin);
    return new OutboundForbiddenError(refusal);
  };
  const lookup = createPolicyLookup({ resolver: options.resolver ?? systemResolver, allowLocal, mode: policy.mode, refuse });
  const connect = buildConnector({ timeout: options.timeoutMs, lookup });
  // A pool connects to one host only: judge it once, on the first connection.
  let judgedHost: string | undefined;
  let hostRefusal: OutboundRefusal | undefined;
  return (connectOptions, callback) => {
    if (connectOptions.hostname !== judgedHost) {
      judgedHost = connectOptions.hostname;
      hostRefusal = checkHost(connectOptions.hostname, policy, origin);
    }
    if (hostRefusal !== undefined) {
      const error = refuse(hostRefusal);
      // Asynchronously, like every other connect failure undici sees.
      queueMicrotask(() => callback(error, null));
      return;
    }
    connect(connectOptions, callback);
  };
}
