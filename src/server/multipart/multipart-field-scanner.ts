/**
 * @module server/multipart/multipart-field-scanner
 * Finds one text field of a multipart/form-data body incrementally: each chunk is searched once,
 * and only a small tail (a possible split delimiter, a header section or the field's value) is kept.
 * @see https://www.rfc-editor.org/rfc/rfc7578 multipart/form-data
 * @see https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1 delimiters, preamble, transport padding
 */

/** Longest part header section accepted; real clients send two short headers. */
export const MAX_PART_HEADER_BYTES = 16 * 1024;

/** Longest field value accepted; a model name is a few dozen bytes. */
export const MAX_FIELD_VALUE_BYTES = 4 * 1024;

const CRLF = Buffer.from("\r\n");
const HEADER_SECTION_END = Buffer.from("\r\n\r\n");
const DASH = 0x2d;

/** What the scanner knows after a chunk. Offsets count bytes from the start of the body. */
export type MultipartScanOutcome =
  | { readonly kind: "pending" }
  | { readonly kind: "field"; readonly value: Buffer; readonly valueStart: number; readonly valueEnd: number }
  | { readonly kind: "closed" };

/** Options for {@link MultipartFieldScanner}. */
export interface MultipartFieldScannerOptions {
  readonly boundary: string;
  /** The `name` parameter of the wanted part's Content-Disposition. */
  readonly fieldName: string;
  /** Builds the error thrown for a body that is not valid multipart. */
  readonly onMalformed: (reason: string) => Error;
}

type ScannerState = "preamble" | "content" | "part-start" | "headers" | "value" | "done";

const PENDING: MultipartScanOutcome = { kind: "pending" };

/**
 * A state machine fed the body chunk by chunk. It stops at the first part named `fieldName`
 * ("field") or at the closing delimiter ("closed"); after either, it must not be fed again.
 */
export class MultipartFieldScanner {
  readonly #delimiter: Buffer;
  readonly #fieldName: string;
  readonly #onMalformed: (reason: string) => Error;
  #state: ScannerState = "preamble";
  // The body is scanned as if it started with CRLF, so the first boundary (which RFC 2046 lets
  // open the body without one) matches the same "\r\n--boundary" delimiter as every later one.
  #tail: Buffer = CRLF;
  #tailStart = -CRLF.length;
  /** Where the header section or field value being collected starts (absolute offset). */
  #sectionStart = 0;
  /** Where the next search within that section resumes, so no byte is searched twice. */
  #searchFrom = 0;

  constructor(options: MultipartFieldScannerOptions) {
    this.#delimiter = Buffer.from(`\r\n--${options.boundary}`, "latin1");
    this.#fieldName = options.fieldName;
    this.#onMalformed = options.onMalformed;
  }

  /** Scans the next chunk of the body. Throws the onMalformed error for an invalid body. */
  write(chunk: Buffer): MultipartScanOutcome {
    if (this.#state === "done") throw new Error("multipart scanner already finished");
    const buffer = this.#tail.length === 0 ? chunk : Buffer.concat([this.#tail, chunk]);
    const base = this.#tailStart;
    let index = 0;
    for (;;) {
      switch (this.#state) {
        case "preamble":
        case "content": {
          const found = buffer.indexOf(this.#delimiter, index);
          if (found === -1) {
            this.#keep(buffer, base, Math.max(index, buffer.length - (this.#delimiter.length - 1)));
            return PENDING;
          }
          index = found + this.#delimiter.length;
          this.#state = "part-start";
          break;
        }
        case "part-start": {
          if (buffer.length - index < 2) {
            this.#keep(buffer, base, index);
            return PENDING;
          }
          if (buffer[index] === DASH && buffer[index + 1] === DASH) {
            this.#state = "done";
            return { kind: "closed" };
          }
          this.#state = "headers";
          this.#sectionStart = base + index;
          this.#searchFrom = this.#sectionStart;
          break;
        }
        case "headers": {
          const start = this.#sectionStart - base;
          const found = buffer.indexOf(HEADER_SECTION_END, this.#searchFrom - base);
          // Measured like the value below: bytes that cannot belong to the terminating blank line.
          const headerBytes = found === -1 ? buffer.length - start - (HEADER_SECTION_END.length - 1) : found - start;
          if (headerBytes > MAX_PART_HEADER_BYTES) throw this.#onMalformed(`multipart part headers exceed ${MAX_PART_HEADER_BYTES} bytes`);
          if (found === -1) {
            this.#searchFrom = base + Math.max(start, buffer.length - (HEADER_SECTION_END.length - 1));
            this.#keep(buffer, base, start);
            return PENDING;
          }
          // The section runs from just after the boundary (transport padding, then CRLF) to the
          // blank line; keeping the last header's CRLF makes every header a CRLF-led line.
          const wanted = this.#isWantedPart(buffer.toString("latin1", start, found + CRLF.length));
          index = found + HEADER_SECTION_END.length;
          this.#state = wanted ? "value" : "content";
          this.#sectionStart = base + index;
          this.#searchFrom = this.#sectionStart;
          break;
        }
        case "value": {
          const start = this.#sectionStart - base;
          const found = buffer.indexOf(this.#delimiter, this.#searchFrom - base);
          if (found === -1) {
            if (buffer.length - start - (this.#delimiter.length - 1) > MAX_FIELD_VALUE_BYTES) {
              throw this.#onMalformed(`multipart field "${this.#fieldName}" exceeds ${MAX_FIELD_VALUE_BYTES} bytes`);
            }
            this.#searchFrom = base + Math.max(start, buffer.length - (this.#delimiter.length - 1));
            this.#keep(buffer, base, start);
            return PENDING;
          }
          if (found - start > MAX_FIELD_VALUE_BYTES) {
            throw this.#onMalformed(`multipart field "${this.#fieldName}" exceeds ${MAX_FIELD_VALUE_BYTES} bytes`);
          }
          this.#state = "done";
          this.#tail = Buffer.alloc(0);
          return {
            kind: "field",
            value: Buffer.from(buffer.subarray(start, found)),
            valueStart: base + start,
            valueEnd: base + found,
          };
        }
      }
    }
  }

  /** The error for a body that ended before the field or the closing delimiter appeared. */
  errorAtEnd(): Error {
    return this.#state === "preamble"
      ? this.#onMalformed("multipart body has no boundary delimiter")
      : this.#onMalformed("multipart body ended before the closing boundary");
  }

  #keep(buffer: Buffer, base: number, from: number): void {
    // Copy: a view would pin the whole (possibly 64 KiB) chunk behind a few bytes of tail.
    this.#tail = Buffer.from(buffer.subarray(from));
    this.#tailStart = base + from;
  }

  #isWantedPart(section: string): boolean {
    const lines = section.split("\r\n");
    // RFC 2046 allows linear whitespace ("transport padding") between a boundary and its CRLF.
    if (!/^[ \t]*$/.test(lines[0] ?? "")) {
      throw this.#onMalformed("multipart boundary is followed by unexpected bytes");
    }
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon === -1 || line.slice(0, colon).trim().toLowerCase() !== "content-disposition") continue;
      const disposition = parseHeaderValue(line.slice(colon + 1));
      return disposition.type === "form-data" && disposition.parameters.get("name") === this.#fieldName;
    }
    return false;
  }
}

/** A header value split into its lower-cased type and its parameters (names lower-cased). */
export interface HeaderValue {
  readonly type: string;
  readonly parameters: ReadonlyMap<string, string>;
}

/**
 * Parses `type; name=value; name="quoted value"`. The first occurrence of a parameter wins, and a
 * parameter with an unterminated quote is dropped. Backslash is literal inside quotes: browsers,
 * undici and httpx follow the WHATWG form encoding, which writes `"` as %22 and never escapes `\`,
 * so a Windows filename ending in `\` must not swallow the closing quote.
 * @see https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart-form-data
 */
export function parseHeaderValue(value: string): HeaderValue {
  const semicolon = value.indexOf(";");
  const type = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  const parameters = new Map<string, string>();
  let index = semicolon === -1 ? value.length : semicolon + 1;
  while (index < value.length) {
    let nameEnd = index;
    while (nameEnd < value.length && value[nameEnd] !== "=" && value[nameEnd] !== ";") nameEnd += 1;
    const name = value.slice(index, nameEnd).trim().toLowerCase();
    if (value[nameEnd] !== "=") {
      index = nameEnd + 1;
      continue;
    }
    let valueStart = nameEnd + 1;
    while (value[valueStart] === " " || value[valueStart] === "\t") valueStart += 1;
    let parameterValue: string | undefined;
    let valueEnd: number;
    if (value[valueStart] === '"') {
      const closingQuote = value.indexOf('"', valueStart + 1);
      parameterValue = closingQuote === -1 ? undefined : value.slice(valueStart + 1, closingQuote);
      const nextSemicolon = closingQuote === -1 ? -1 : value.indexOf(";", closingQuote + 1);
      valueEnd = nextSemicolon === -1 ? value.length : nextSemicolon;
    } else {
      const nextSemicolon = value.indexOf(";", valueStart);
      valueEnd = nextSemicolon === -1 ? value.length : nextSemicolon;
      parameterValue = value.slice(valueStart, valueEnd).trim();
    }
    if (name !== "" && parameterValue !== undefined && !parameters.has(name)) parameters.set(name, parameterValue);
    index = valueEnd + 1;
  }
  return { type, parameters };
}
