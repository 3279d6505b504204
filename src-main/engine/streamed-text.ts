/**
 * Turns a growing token list into text increments. A token can end in the middle of a UTF-8
 * character; such a tail decodes to U+FFFD and is held back until the character completes.
 */
export class StreamedText {
  private emitted = "";

  constructor(private readonly detokenize: () => string) {}

  /** The full text so far, stable part only. */
  get text(): string {
    return this.emitted;
  }

  /** The text added since the last call (possibly empty). */
  next(): string {
    let text = this.detokenize();
    while (text.endsWith("\uFFFD")) text = text.slice(0, -1);
    if (!text.startsWith(this.emitted) || text.length <= this.emitted.length) return "";
    const delta = text.slice(this.emitted.length);
    this.emitted = text;
    return delta;
  }
}
