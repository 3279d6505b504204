import type { LlamaModel, Token } from "node-llama-cpp";
import type { LoadedModel } from "./loaded-model";
import { documentPrefix, promptFormatFor } from "./prompt-format";

const BLOCK = 64;

/**
 * Where each token starts in the text the tokens decode to. Tokens are decoded a block at a time
 * (cumulatively inside the block, with the tokens before it as context); a block boundary never
 * splits a character, since a block is extended until its text no longer ends in U+FFFD.
 */
export function tokenTextOffsets(model: LlamaModel, tokens: readonly Token[]): { text: string; offsets: Int32Array } {
  const offsets = new Int32Array(tokens.length);
  let text = "";
  for (let start = 0; start < tokens.length; ) {
    let end = Math.min(tokens.length, start + BLOCK);
    const context = tokens.slice(Math.max(0, start - 8), start);
    let block = model.detokenize(tokens.slice(start, end), false, context);
    while (block.endsWith("\uFFFD") && end < tokens.length) {
      end++;
      block = model.detokenize(tokens.slice(start, end), false, context);
    }
    let decoded = 0;
    for (let i = start; i < end; i++) {
      offsets[i] = text.length + Math.min(decoded, block.length);
      let prefix = model.detokenize(tokens.slice(start, i + 1), false, context);
      while (prefix.endsWith("\uFFFD")) prefix = prefix.slice(0, -1);
      decoded = Math.max(decoded, prefix.length);
    }
    text += block;
    start = end;
  }
  return { text, offsets };
}

/**
 * Per prompt token, the character of `documentText` it starts at, or -1 for tokens before or after
 * the document (template text, instructions).
 */
export function documentTokenOffsets(loaded: LoadedModel, documentText: string): number[] {
  const prefix = documentPrefix(promptFormatFor(loaded), documentText);
  const { text, offsets } = tokenTextOffsets(loaded.model, prefix);
  const documentStart = text.indexOf(documentText.slice(0, 256));
  const result = new Array<number>(prefix.length);
  for (let i = 0; i < prefix.length; i++) {
    const offset = documentStart < 0 ? -1 : offsets[i] - documentStart;
    result[i] = offset >= 0 && offset < documentText.length ? offset : -1;
  }
  return result;
}
