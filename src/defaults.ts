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

/**
 * scrypt cost (N) for a `SWITCHYARD_ENCRYPTION_KEY` passphrase. 2^15 with r = 8 takes ~100 ms and
 * 32 MiB once at startup — the interactive-login setting from the scrypt paper — so a weak
 * passphrase costs an attacker that much per guess without slowing every CLI command noticeably.
 */
export const ENCRYPTION_KDF_SCRYPT_COST = 2 ** 15;

/** scrypt block size (r); 8 is the value the cost above was measured with and every library uses. */
export const ENCRYPTION_KDF_SCRYPT_BLOCK_SIZE = 8;

/** scrypt parallelism (p); 1, because the derivation runs once and more lanes only cost memory. */
export const ENCRYPTION_KDF_SCRYPT_PARALLELISM = 1;

/**
 * Memory cap handed to scrypt. The values above need 128 · N · r = 32 MiB plus a little, so Node's
 * default 32 MiB cap rejects them ("memory limit exceeded"); 64 MiB leaves headroom.
 */
export const ENCRYPTION_KDF_SCRYPT_MAX_MEMORY_BYTES = 64 * 1024 * 1024;

/** File name of the embedded SQLite store inside the data directory. */
export const SQLITE_FILE_NAME = "switchyard.db";

/**
 * How long a SQLite write waits for another process (a CLI command, a second server) holding the
 * write lock. Admin writes are tiny, so 5 s only expires when something is genuinely stuck.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Connections per instance to a shared PostgreSQL; the store sees admin writes and rare reads, and pg's own default is 10. */
export const POSTGRES_POOL_SIZE = 10;

/** Connecting to PostgreSQL. Without a limit pg waits forever on a host that drops packets. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/**
 * How often a server checks the store for changes made by another process (the CLI, another
 * instance). A cheap single-row read; changes made through this server's own API apply at once.
 */
export const STORE_POLL_INTERVAL_MS = 2_000;
