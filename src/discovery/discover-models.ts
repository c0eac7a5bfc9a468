/**
 * @module discovery/discover-models
 * "Discover models" (SPEC §3): asks a provider's own list endpoint what it offers and returns
 * each model with its type (chat, embedding, text-to-speech, speech-to-text) and whatever context
 * window and prices the provider states. Nothing is registered here; the caller decides.
 */
import { LISTERS, listFormatForKind } from "./choose-list-format.js";
import { MAX_DISCOVERED_MODELS } from "./discovery-limits.js";
import { toDiscoveryInput, type DiscoveryTarget } from "./discovery-input.js";
import type { DiscoveredModel, DiscoveryOptions } from "./discovery-types.js";
import { ListSession } from "./list-session.js";

/** Drops repeated ids (the first wins) and stops at {@link MAX_DISCOVERED_MODELS}. */
export function finalizeModels(models: readonly DiscoveredModel[]): DiscoveredModel[] {
  const seen = new Set<string>();
  const result: DiscoveredModel[] = [];
  for (const model of models) {
    if (result.length >= MAX_DISCOVERED_MODELS) break;
    if (seen.has(model.id)) continue;
    seen.add(model.id);
    result.push(model);
  }
  return result;
}

/** Lists within an open session; shared with the connection test. */
export async function listWithSession(session: ListSession): Promise<DiscoveredModel[]> {
  return finalizeModels(await LISTERS[listFormatForKind(session.input.kind)](session));
}

/**
 * Lists the models a provider offers, from its own list endpoint. Throws a `DiscoveryError`
 * (stable `code`, plain-language `message`, `status` when the server answered) when the listing
 * fails; rejects with the signal's reason when `options.signal` aborts. Never makes more than one
 * request at a time, nor more than MAX_LIST_PAGES pages.
 */
export async function discoverModels(target: DiscoveryTarget, options: DiscoveryOptions = {}): Promise<DiscoveredModel[]> {
  const session = new ListSession(toDiscoveryInput(target), options);
  try {
    return await listWithSession(session);
  } finally {
    await session.close();
  }
}
