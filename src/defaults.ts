/**
 * @module defaults
 * Every tunable default in one place, each with the reason it has the value it has.
 * Config (file or flags) may override them; nothing else should hard-code these numbers.
 */

/** Loopback only: binding elsewhere exposes every stored provider key (SPEC §6). */
export const DEFAULT_HOST = "127.0.0.1";

/** The port LiteLLM users already point their apps at; easy to remember. */
export const DEFAULT_PORT = 4000;

/**
 * Largest request body accepted on JSON endpoints. Chat requests carrying several base64 images
 * reach a few MB; 25 MB leaves room for that and for large embedding batches while bounding memory.
 */
export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * Largest multipart upload on `/v1/audio/transcriptions`. OpenAI caps audio files at 25 MB; local
 * servers (whisper.cpp, speaches) accept more, so allow 100 MB. The upload is streamed, not held.
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/**
 * Multipart bytes that may precede the `model` field (the official SDKs send the file first) kept
 * in memory; past this the prefix spills to a temporary file so uploads never sit whole in memory.
 */
export const MULTIPART_SPOOL_MEMORY_BYTES = 1024 * 1024;

/** TCP + TLS handshake. A reachable server answers in milliseconds; 10 s covers a slow VPN. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Request sent → response headers. Local servers (Ollama, llama.cpp) load a model on the first
 * request and answer only afterwards, which takes minutes for large models on slow disks.
 */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 300_000;

/** Silence between two body chunks. Reasoning models think quietly for a long while between tokens. */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** Whole exchange, including a long generation streamed token by token. */
export const DEFAULT_TOTAL_TIMEOUT_MS = 600_000;

/**
 * `GET /v1/models` asks every provider in parallel; one that is down or slow must not stall the
 * list, so each gets this long before it is skipped (its last good answer is used if there is one).
 */
export const MODEL_LIST_TIMEOUT_MS = 2_000;

/** How long a provider's model list is reused before it is fetched again. */
export const MODEL_LIST_CACHE_TTL_MS = 30_000;

/** Bytes of an upstream error body kept for the error message; the rest is discarded unread. */
export const MAX_UPSTREAM_ERROR_BODY_BYTES = 64 * 1024;

/** Longest upstream error message passed on to clients; longer ones are cut with an ellipsis. */
export const MAX_UPSTREAM_ERROR_MESSAGE_CHARS = 2_000;

/**
 * Keep-alive connections per upstream origin. Local servers process few requests at once, so more
 * sockets do not help them; 128 covers 64 concurrent clients with room for streams.
 */
export const UPSTREAM_POOL_CONNECTIONS = 128;

/** Upstream keep-alive sockets idle longer than this are closed (servers often close at 5–60 s). */
export const UPSTREAM_KEEP_ALIVE_TIMEOUT_MS = 4_000;

/**
 * Inbound keep-alive. Longer than the common 60 s idle timeout of load balancers in front of us,
 * so they close first and never send on a socket we just closed.
 */
export const SERVER_KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Time allowed for a client to send its request headers (slow-client protection). */
export const SERVER_HEADERS_TIMEOUT_MS = 30_000;

/** On SIGINT/SIGTERM in-flight requests and streams get this long to finish before being aborted. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** Directory for the embedded store and generated secrets when neither flag nor env names one. */
export const DEFAULT_DATA_DIR_NAME = ".switchyard";
