/**
 * @module compat/anthropic-translator
 * The Anthropic Messages translator, loaded only when a configuration routes to Anthropic's native
 * API. It validates with zod, which costs ~15 MB resident; a gateway with no native Anthropic
 * provider never loads it (docs/performance.md). The state builder awaits {@link loadAnthropicTranslator}
 * before such a state serves requests, so the request path can use it synchronously.
 */
import type * as TranslationCore from "../providers/anthropic/translation-core.js";

type Translator = typeof TranslationCore;

let loaded: Translator | undefined;

/** Loads the translator once; cheap to call again. */
export async function loadAnthropicTranslator(): Promise<void> {
  loaded ??= await import("../providers/anthropic/translation-core.js");
}

/** The loaded translator; the state builder guarantees it for native Anthropic routes. */
export function anthropicTranslator(): Translator {
  if (loaded === undefined) throw new Error("the Anthropic translator was not loaded before a native Anthropic route was used");
  return loaded;
}
