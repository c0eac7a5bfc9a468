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
 * Size in MB of each of V8's two young-generation semi-spaces while `switchyard serve` runs
 * (`SWITCHYARD_MAX_SEMI_SPACE_MB`; 0 = V8's own sizing, up to 16 MB). Measured on the benchmark:
 * ~30 MB less RSS after load and no loss of throughput (server/young-generation.ts).
 */
export const DEFAULT_MAX_SEMI_SPACE_MB = 4;

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

/**
 * Time allowed to receive a whole request, body included (slow-client protection for bodies; the
 * response may take as long as it needs). Sized for the largest upload: 100 MB at ~2 Mbit/s, a
 * slow home uplink, takes ~7 minutes, so 10 minutes.
 */
export const SERVER_REQUEST_TIMEOUT_MS = 600_000;

/**
 * How often node:http checks connections against the two timeouts above. Node's default (30 s)
 * would let a slow client hold a socket for up to twice the headers timeout; the check only walks
 * connections still receiving a request, so once a second costs nothing measurable.
 */
export const SERVER_CONNECTIONS_CHECK_INTERVAL_MS = 1_000;

/**
 * Largest request line plus headers (node:http `maxHeaderSize`); larger requests get 431. Node's
 * own 16 KiB default: the OpenAI SDKs send well under 2 KiB, and browsers' cookies stay below it.
 */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

/**
 * Longest request target (path and query); longer ones get 414. 8 KiB, as nginx and Apache allow
 * by default: no OpenAI route needs more than a model id in the path.
 */
export const DEFAULT_MAX_URL_BYTES = 8 * 1024;

/**
 * Deepest nesting of objects and arrays accepted in a JSON body. Real requests nest under ten
 * levels (a JSON Schema for structured output maybe twenty); 64 leaves room while keeping every
 * recursive step after parsing — ours and the upstream's — far from a stack overflow.
 */
export const MAX_JSON_DEPTH = 64;

/** Largest admin API request body: credentials and model selections are a few KB at most. */
export const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

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

/**
 * Attempts per request across all deployments (the first call plus retries and failovers). Three is
 * the OpenAI SDKs' 1 + `max_retries=2` and LiteLLM's default; more multiplies load during an outage.
 */
export const ROUTER_MAX_ATTEMPTS = 3;

/** First backoff step (full jitter below it); the 0.5 s openai-node starts from. */
export const RETRY_BASE_DELAY_MS = 500;

/** Largest backoff step; openai-node's 8 s ceiling keeps a retrying client responsive. */
export const RETRY_MAX_DELAY_MS = 8_000;

/**
 * Longest `Retry-After` / `retry-after-ms` the router waits for (openai-node and Portkey use 60 s).
 * A longer hint is not slept on: the router backs off instead, and the loop's time budget decides.
 */
export const RETRY_AFTER_CAP_MS = 60_000;

/** Consecutive failures that open a deployment's breaker; Envoy's `consecutive_5xx` default. */
export const BREAKER_CONSECUTIVE_FAILURES = 5;

/** Calls remembered for the failure-rate rule: enough to smooth noise, few enough to react within a minute. */
export const BREAKER_WINDOW_CALLS = 20;

/** Failure rate above which the breaker opens; LiteLLM cools a deployment down at 50 %. */
export const BREAKER_FAILURE_RATE = 0.5;

/** Calls the window must hold before the rate rule applies, so two failures out of three never open it. */
export const BREAKER_MIN_CALLS = 10;

/** First cool-down of an open breaker; LiteLLM's 5 s default — short, a local server may restart quickly. */
export const BREAKER_COOL_DOWN_MS = 5_000;

/** Cool-downs double after each failed probe up to this cap (Envoy-style ejection growth, 5 s → 5 min). */
export const BREAKER_MAX_COOL_DOWN_MS = 300_000;

/**
 * A half-open probe that has not reported after this long is treated as lost and another probe is let
 * through. No single upstream call outlives the total timeout, so a live probe cannot be mistaken.
 */
export const BREAKER_PROBE_LEASE_MS = DEFAULT_TOTAL_TIMEOUT_MS;

/** Half-life of the latency average: a sample's weight halves every 30 s, so a slowed replica shows within a minute. */
export const LATENCY_HALF_LIFE_MS = 30_000;

/**
 * A deployment without a latency sample for this long counts as unmeasured again, so least-latency
 * probes it once more instead of avoiding a once-slow replica forever.
 */
export const LATENCY_FORGET_AFTER_MS = 300_000;

/** Rate limits are per minute (requests and tokens), the unit providers publish theirs in. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Keys the in-memory rate limiter holds at most. Keys come from config (deployments, models, gateway
 * keys), so this only bounds memory against a runaway caller; the least recently used key goes first.
 */
export const RATE_LIMIT_MAX_KEYS = 10_000;

/** How often idle (fully refilled) rate-limit keys are swept out; their state equals a fresh key's. */
export const RATE_LIMIT_SWEEP_INTERVAL_MS = 60_000;

/**
 * Shortest `SWITCHYARD_ADMIN_KEY` accepted. The admin key guards every stored provider key; 32
 * characters is what the security notes ask of tokens on a non-loopback bind, and what
 * `openssl rand -hex 16` (128 bits) prints.
 */
export const ADMIN_KEY_MIN_LENGTH = 32;

/**
 * Lifetime of a console session (the `switchyard_session` cookie). A working day: long enough not
 * to interrupt someone configuring the gateway, short enough that a forgotten browser tab expires.
 */
export const ADMIN_SESSION_TTL_MS = 12 * 60 * 60 * 1_000;

/** Console sessions held at most; past this the oldest is dropped, so logins cannot grow memory. */
export const ADMIN_SESSION_MAX = 1_000;

/**
 * Failed admin-key attempts (console login or a wrong Bearer on `/api`) allowed per client address
 * per minute before further attempts get 429. A person mistyping never hits it; a guesser is slowed.
 */
export const ADMIN_AUTH_FAILURES_PER_MINUTE = 10;

/**
 * Largest JSON answer held whole so the gateway can adapt it (embeddings re-encoded for the
 * client's `encoding_format`, reasoning moved to one field, usage read). OpenAI's largest
 * embeddings answer — 2,048 inputs of 3,072 dimensions as float text — is about 130 MB; anything
 * bigger is relayed unchanged rather than held.
 */
export const MAX_ADAPTED_ANSWER_BYTES = 160 * 1024 * 1024;

/**
 * How much of an embeddings answer is held, at most, to see whether the upstream honoured
 * `encoding_format: base64`: the first `"embedding":` value comes within the first few hundred bytes.
 */
export const EMBEDDING_FORMAT_PROBE_BYTES = 64 * 1024;
