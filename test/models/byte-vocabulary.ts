/**
 * A byte-level vocabulary in GPT-2's encoding: token id b (0..255) is the byte b, spelled with
 * GPT-2's byte-to-unicode table so llama.cpp's "gpt2" tokenizer maps text bytes straight to ids.
 * Two control tokens follow: BOS and EOS.
 */
export const BYTE_TOKEN_COUNT = 256;
export const BOS_ID = 256;
export const EOS_ID = 257;
export const VOCABULARY_SIZE = 258;

const TOKEN_TYPE_NORMAL = 1;
const TOKEN_TYPE_CONTROL = 3;

function gpt2ByteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table = new Array<string>(256);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = printable.includes(b) ? String.fromCodePoint(b) : String.fromCodePoint(256 + next++);
  }
  return table;
}

export interface ByteVocabulary {
  tokens: string[];
  tokenTypes: number[];
  /** llama.cpp refuses a BPE vocabulary without merges; this one joins two bytes that never occur in text. */
  merges: string[];
  bosId: number;
  eosId: number;
}

export function byteVocabulary(): ByteVocabulary {
  const bytes = gpt2ByteToUnicode();
  return {
    tokens: [...bytes, "<s>", "</s>"],
    tokenTypes: [...bytes.map(() => TOKEN_TYPE_NORMAL), TOKEN_TYPE_CONTROL, TOKEN_TYPE_CONTROL],
    merges: [`${bytes[1]} ${bytes[2]}`],
    bosId: BOS_ID,
    eosId: EOS_ID,
  };
}

/** Token ids of a text under this vocabulary (no BOS), i.e. its UTF-8 bytes. */
export function byteTokens(text: string): number[] {
  return [...Buffer.from(text, "utf8")];
}
