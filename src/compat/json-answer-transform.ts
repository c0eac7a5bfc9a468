/**
 * @module compat/json-answer-transform
 * Adapts a whole JSON answer (not a stream): it is held until it ends, edited once, and written.
 * For a base64 embeddings request whose upstream honoured the format, only the start is held: once
 * the first embedding is seen to be a string, the rest is relayed as it comes.
 */
import { EMBEDDING_FORMAT_PROBE_BYTES, MAX_ADAPTED_ANSWER_BYTES } from "../defaults.js";
import type { AnswerPlan } from "./adaptation.js";
import { embeddingsNeedEncoding, type AnswerEditor } from "./answer-editor.js";

/** Holds, edits and writes one JSON answer. */
export class JsonAnswerTransform {
  readonly #out: (chunk: Buffer) => boolean;
  readonly #editor: AnswerEditor;
  /** True while only the embedding format is in question (nothing else needs the whole body). */
  #probing: boolean;
  #chunks: Buffer[] = [];
  #length = 0;
  #passing = false;

  constructor(out: (chunk: Buffer) => boolean, editor: AnswerEditor, plan: AnswerPlan) {
    this.#out = out;
    this.#editor = editor;
    this.#probing = plan.embeddingsBase64 && !plan.readUsage && plan.reasoning === undefined;
  }

  write(chunk: Buffer): boolean {
    if (this.#passing) return this.#out(chunk);
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    if (this.#length > MAX_ADAPTED_ANSWER_BYTES) return this.#pass();
    if (this.#probing) {
      const head = this.#chunks.length === 1 ? chunk : Buffer.concat(this.#chunks);
      const encode = embeddingsNeedEncoding(head);
      if (encode === false) return this.#pass();
      if (encode === true || this.#length > EMBEDDING_FORMAT_PROBE_BYTES) this.#probing = false;
    }
    return true;
  }

  end(): void {
    if (this.#passing) return;
    const chunks = this.#chunks;
    this.#chunks = [];
    if (chunks.length === 0) return;
    this.#out(this.#editor.editBody(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
  }

  /** Stops holding: what was held goes out as it was, and so does everything after it. */
  #pass(): boolean {
    this.#passing = true;
    const chunks = this.#chunks;
    this.#chunks = [];
    return this.#out(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
  }
}
