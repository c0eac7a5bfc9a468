/**
 * @module discovery/discovery-limits
 * Bounds on one discovery run, each with its reason. A model list comes from a URL a user typed,
 * so nothing it sends may grow memory or loop without limit.
 */

/**
 * Deadline for a whole listing, pages included. Listing never loads a model, so a healthy server
 * answers in well under a second; 15 s covers a slow VPN and OpenRouter's ~1 MB list.
 */
export const DEFAULT_DISCOVERY_TIMEOUT_MS = 15_000;

/** Models kept from one provider. OpenRouter lists ~400 and Together ~200; 10,000 is far beyond any real list. */
export const MAX_DISCOVERED_MODELS = 10_000;

/** Largest list page read. OpenRouter's, with descriptions, is about 1 MB. */
export const MAX_MODEL_LIST_BYTES = 16 * 1024 * 1024;

/** Bytes of an error answer read to diagnose it (an HTML title or an error message is near the start). */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Pages followed for paginated lists (Anthropic `after_id`, Gemini `pageToken`). Both allow 1,000
 * per page, so 20 pages reach the model cap; a server that never stops is cut off here.
 */
export const MAX_LIST_PAGES = 20;

/** Longest piece of an upstream's own error message quoted in a diagnosis. */
export const MAX_QUOTED_MESSAGE_CHARS = 300;
