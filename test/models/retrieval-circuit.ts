import { BOS_ID, VOCABULARY_SIZE } from "./byte-vocabulary";
import { GgmlType } from "./gguf-writer";
import { CODE_SIZE, isTextByte, tokenCodes } from "./retrieval-circuit-codes";
import { type GroupKind, type HeadPlan, PLAN, RETRIEVAL_SHAPE } from "./retrieval-circuit-plan";
import { writeLlamaGguf, type LlamaLayerWeights, type LlamaWeights } from "./llama-model";

/**
 * Writes the retrieval circuit of retrieval-circuit-plan.ts into llama weights and a GGUF file:
 * the residual stream layout, each KV group's keys and values, each head's queries and outputs.
 */

// ---- residual stream layout ----
const WINDOW = 9;
const CONSTANT = 0;
const BOS_FLAG = 1;
const DIGIT_FLAG = 2;
const OTHER_FLAG = 3;
const E = 4;
const slot = (k: number): number => E + k * CODE_SIZE; // slot(0) = E, slot(k) = Pk
const ANSWER = slot(WINDOW + 1);
const JUNK = ANSWER + CODE_SIZE;
/** 1 when the previous token is a digit (written by layer 0's offset-1 head). */
const PREVIOUS_DIGIT_FLAG = JUNK + CODE_SIZE;
/** 1 inside a value: the position's word starts with a digit (written by the word-carry head). */
const IN_VALUE_FLAG = PREVIOUS_DIGIT_FLAG + 1;
/** Codes of the 4 tokens before the word that ends a value's context ("Bako" in "Bako is 48213"). */
const CONTEXT_CODES = 4;
/** P5..P8 of the first token of the position's word (word-carry head): for a value, its name's last letters. */
const WORD_CONTEXT = IN_VALUE_FLAG + 1;
/** P2..P5 of the first letter of the position's word (previous-word-carry head): in "is " after "Bako", the letters of "Bako". */
const PREVIOUS_WORD = WORD_CONTEXT + CONTEXT_CODES * CODE_SIZE;
const CONSTANT_VALUE = 24;
const SPACE_TOKEN = 32;

// ---- head layout (dimensions inside a 256-wide query/key head) ----
/** Fast-rotating RoPE pairs used for position (pair i rotates by base^(-2i/256) per token). */
const POSITION_PAIRS = 12;
const TILT_PAIR = 15;
const BOS_PAIR = 18;
const DIGIT_PAIR = 19;
/** First pair that rotates less than 0.1 rad over 4096 tokens. */
const SLOW_PAIR = 20;

/**
 * Relative amplitudes of the position pairs in previous-token heads, from a linear program that
 * maximises the smallest margin over offsets -9..4096 (about 0.26 of the total amplitude).
 */
const POSITION_AMPLITUDES = [1, 0.208, 0.129, 0.027, 0.107, 0.061, 0.115, 0.042, 0.055, 0.058, 0.08, 0.038];
/** Logits at the peak of a previous-token head. */
const POSITION_PEAK = 110;

/**
 * The carry heads' position profile f(d) = sum over pairs 0..13 of L_p cos(theta_p d + phi_p), in units
 * of its total: a staircase from a linear program that maximises the smallest margin M in
 * f(d) - f(d') >= M for every d <= 6 and d < d' <= 4095 (M = 0.0655), so of several candidate
 * positions the nearest one wins when it is at most 6 tokens back.
 */
const STAIRCASE_AMPLITUDES = [
  0.03198, 0.06998, 0.13116, 0.12527, 0.07417, 0.0857, 0.07966, 0.07068, 0.06943, 0.04433, 0.03777, 0.06096, 0.05152,
  0.02856,
];
const STAIRCASE_PHASES = [1.15814, 0.18618, 0.13016, 0, 0.01384, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/** Logits of the staircase's total amplitude: the smallest step is about 10 logits. */
const STAIRCASE_LOGITS = 153;
/** Penalty on candidates whose previous token is a digit (more than the staircase's whole rise). */
const NOT_A_WORD_START = 90;
/** Logit of a previous space in the previous-word carry (other tokens overlap its code by at most 0.28). */
const SPACE_MATCH = 140;
/** Key dimensions in a carries group (barely rotating pairs): the previous-digit flag, then the code P1. */
const PREVIOUS_DIGIT_DIM = 2 * SLOW_PAIR;
const PREVIOUS_TOKEN_DIM = PREVIOUS_DIGIT_DIM + 2;
/** Key dimensions of the word context in a word-match group, then the in-value flag. */
const WORD_CONTEXT_DIM = 2 * SLOW_PAIR;
const IN_VALUE_DIM = WORD_CONTEXT_DIM + CONTEXT_CODES * CODE_SIZE;
const SPAN_PER_TOKEN = 12;
const SPAN_IN_VALUE = 36;
/** The span head's BOS logit: above a full context match outside a value, below one inside. */
const SPAN_SINK = CONTEXT_CODES * SPAN_PER_TOKEN + SPAN_IN_VALUE / 2;
/** Value dimensions: layer 0's moved digit flag; a word-carry group's carried digit flag (after E and 4 codes). */
const PREVIOUS_DIGIT_VALUE = CODE_SIZE;
const CARRIED_DIGIT_VALUE = CODE_SIZE * (1 + CONTEXT_CODES);
/** Value dimensions of a carries group's P2..P5 (for the previous word). */
const PREVIOUS_WORD_VALUE = CARRIED_DIGIT_VALUE + 1;

// Logit scales (after llama.cpp's 1/sqrt(256) attention scale).
const RETRIEVAL_PER_TOKEN = 12;
const TILT = 2;
const BIGRAM_PER_TOKEN = 12;
const TRIGRAM_PER_TOKEN = 10;
const SINK = 25;
const EVERY_DIGIT = 14;
const RECENCY_PER_PAIR = 3;
const RECENCY_PAIRS = [4, 5, 6, 7, 8, 9, 10, 11];
const JUNK_SCALE = 0.05;
/** Output logit of a token whose code fills the answer slot (each retrieval head contributes half). */
const ANSWER_LOGIT = 6;
/** Output logit of bytes that never occur in text, BOS and EOS. */
const NON_TEXT_LOGIT = -10;

const ATTENTION_SCALE = 1 / Math.sqrt(RETRIEVAL_SHAPE.keyLength);

export function ropeTheta(pair: number): number {
  return RETRIEVAL_SHAPE.ropeFreqBase ** ((-2 * pair) / RETRIEVAL_SHAPE.keyLength);
}

/** Writes into row-major [rows][columns] matrices by (row, column). */
class LayerWriter {
  readonly weights: LlamaLayerWeights;
  private readonly d = RETRIEVAL_SHAPE.embedding;
  private readonly headSize = RETRIEVAL_SHAPE.keyLength;
  private readonly width = RETRIEVAL_SHAPE.heads * RETRIEVAL_SHAPE.keyLength;

  constructor(normWeight: number) {
    const { embedding: d, heads, kvHeads, keyLength, valueLength, feedForward } = RETRIEVAL_SHAPE;
    this.weights = {
      attnNorm: new Float32Array(d).fill(normWeight),
      wq: new Float32Array(heads * keyLength * d),
      wk: new Float32Array(kvHeads * keyLength * d),
      wv: new Float32Array(kvHeads * valueLength * d),
      wo: new Float32Array(d * heads * valueLength),
      ffnNorm: new Float32Array(d).fill(normWeight),
      wGate: new Float32Array(feedForward * d),
      wUp: new Float32Array(feedForward * d),
      wDown: new Float32Array(d * feedForward),
    };
  }

  /** Query of `head`, dimension `dim`, reads residual `from` times `scale`. */
  query(head: number, dim: number, from: number, scale: number): void {
    this.weights.wq[(head * this.headSize + dim) * this.d + from] += scale;
  }
  key(group: number, dim: number, from: number, scale: number): void {
    this.weights.wk[(group * this.headSize + dim) * this.d + from] += scale;
  }
  value(group: number, dim: number, from: number, scale: number): void {
    this.weights.wv[(group * this.headSize + dim) * this.d + from] += scale;
  }
  output(head: number, dim: number, to: number, scale: number): void {
    this.weights.wo[to * this.width + head * this.headSize + dim] += scale;
  }

  /** A query on RoPE pair `pair` equal to the constant rotated by `phase`, scaled to `logits`. */
  queryPhase(head: number, pair: number, phase: number, logits: number): void {
    const scale = logits / ATTENTION_SCALE / CONSTANT_VALUE;
    this.query(head, 2 * pair, CONSTANT, scale * Math.cos(phase));
    this.query(head, 2 * pair + 1, CONSTANT, scale * Math.sin(phase));
  }
  /** Query dimensions [dim, dim + CODE_SIZE) read the code in residual slot `from`. */
  queryCode(head: number, dim: number, from: number, logitsPerMatch: number): void {
    for (let i = 0; i < CODE_SIZE; i++) this.query(head, dim + i, from + i, logitsPerMatch / ATTENTION_SCALE);
  }
  keyCode(group: number, dim: number, from: number): void {
    for (let i = 0; i < CODE_SIZE; i++) this.key(group, dim + i, from + i, 1);
  }
  copyCode(group: number, valueDim: number, from: number): void {
    for (let i = 0; i < CODE_SIZE; i++) this.value(group, valueDim + i, from + i, 1);
  }
  writeCode(head: number, valueDim: number, to: number, scale: number): void {
    for (let i = 0; i < CODE_SIZE; i++) this.output(head, valueDim + i, to + i, scale);
  }
}

/** Dimension of the code slot k (0 = E) inside an n-gram query/key head. */
const nGramDim = (k: number): number => 2 * SLOW_PAIR + k * CODE_SIZE;

function writeGroupKeysAndValues(writer: LayerWriter, group: number, kind: GroupKind, layer: number): void {
  if (kind === "positional" || kind === "positional-with-context") {
    for (let pair = 0; pair < POSITION_PAIRS; pair++) writer.key(group, 2 * pair, CONSTANT, 1 / CONSTANT_VALUE);
    if (kind === "positional-with-context")
      for (let k = 1; k <= 3; k++) writer.keyCode(group, nGramDim(k - 1), slot(k));
    // Layer 0 moves E; layer 1 moves E and P1..P4 at once (a window of five codes).
    const copied = layer === 0 ? 1 : 5;
    for (let k = 0; k < copied; k++) writer.copyCode(group, k * CODE_SIZE, slot(k));
    // Layer 0 also moves the digit flag, for the offset-1 head's previous-digit flag.
    if (layer === 0) writer.value(group, PREVIOUS_DIGIT_VALUE, DIGIT_FLAG, 1);
    return;
  }
  writer.key(group, 2 * BOS_PAIR, BOS_FLAG, 1);
  writer.key(group, 2 * DIGIT_PAIR, DIGIT_FLAG, 1);
  writer.copyCode(group, 0, E);
  if (kind === "n-gram") {
    writer.key(group, 2 * TILT_PAIR, CONSTANT, 1 / CONSTANT_VALUE);
    for (let k = 1; k <= WINDOW; k++) writer.keyCode(group, nGramDim(k - 1), slot(k));
    return;
  }
  for (const pair of RECENCY_PAIRS) writer.key(group, 2 * pair, CONSTANT, 1 / CONSTANT_VALUE);
  if (kind === "carries") {
    STAIRCASE_AMPLITUDES.forEach((_, pair) => {
      if (!RECENCY_PAIRS.includes(pair)) writer.key(group, 2 * pair, CONSTANT, 1 / CONSTANT_VALUE);
    });
    writer.key(group, PREVIOUS_DIGIT_DIM, PREVIOUS_DIGIT_FLAG, 1);
    writer.keyCode(group, PREVIOUS_TOKEN_DIM, slot(1));
    // Values: P5..P8 and the digit flag (word carry), P2..P5 (previous-word carry).
    for (let k = 0; k < CONTEXT_CODES; k++) writer.copyCode(group, CODE_SIZE * (1 + k), slot(5 + k));
    writer.value(group, CARRIED_DIGIT_VALUE, DIGIT_FLAG, 1);
    for (let k = 0; k < CONTEXT_CODES; k++) writer.copyCode(group, PREVIOUS_WORD_VALUE + k * CODE_SIZE, slot(2 + k));
  }
  if (kind === "word-match") {
    for (let k = 0; k < CONTEXT_CODES; k++)
      writer.keyCode(group, WORD_CONTEXT_DIM + k * CODE_SIZE, WORD_CONTEXT + k * CODE_SIZE);
    writer.key(group, IN_VALUE_DIM, IN_VALUE_FLAG, 1);
  }
}

function writeHead(writer: LayerWriter, layer: number, head: number, plan: HeadPlan, codes: Float64Array[]): void {
  const junk = (): void => writer.writeCode(head, 0, JUNK, JUNK_SCALE);
  const total = POSITION_AMPLITUDES.reduce((a, b) => a + b, 0);
  const nearestCandidate = (): void =>
    STAIRCASE_AMPLITUDES.forEach((amplitude, pair) => {
      writer.queryPhase(head, pair, STAIRCASE_PHASES[pair], STAIRCASE_LOGITS * amplitude);
    });
  const previousToken = (offset: number): void => {
    POSITION_AMPLITUDES.forEach((amplitude, pair) => {
      writer.queryPhase(head, pair, -offset * ropeTheta(pair), (POSITION_PEAK * amplitude) / total);
    });
  };
  switch (plan.role) {
    case "previous-token":
      previousToken(plan.offset!);
      if (layer !== 0) {
        junk(); // a decoy
        return;
      }
      // Layer 0's heads fill P1..P4; the offset-1 head also says whether the previous token is a digit.
      writer.writeCode(head, 0, slot(plan.offset!), 1);
      if (plan.offset === 1) writer.output(head, PREVIOUS_DIGIT_VALUE, PREVIOUS_DIGIT_FLAG, 1);
      return;
    case "window-copy":
      previousToken(plan.offset!);
      for (let k = 0; k < 5; k++) writer.writeCode(head, k * CODE_SIZE, slot(plan.offset! + k), 1);
      return;
    case "retrieval":
      for (let k = 0; k < WINDOW; k++) writer.queryCode(head, nGramDim(k), slot(k), RETRIEVAL_PER_TOKEN);
      // Phase pi/2 on a pair turning < pi/2 over 4096 tokens: the score falls with distance.
      writer.queryPhase(head, TILT_PAIR, Math.PI / 2, TILT);
      writer.writeCode(head, 0, ANSWER, 1);
      return;
    case "bigram-match":
      writer.queryCode(head, nGramDim(0), slot(0), BIGRAM_PER_TOKEN);
      junk();
      return;
    case "trigram-match":
      for (let k = 0; k < 3; k++) writer.queryCode(head, nGramDim(k), slot(k), TRIGRAM_PER_TOKEN);
      junk();
      return;
    case "sink":
      writer.query(head, 2 * BOS_PAIR, CONSTANT, SINK / ATTENTION_SCALE / CONSTANT_VALUE);
      junk();
      return;
    case "every-digit":
      writer.query(head, 2 * DIGIT_PAIR, CONSTANT, EVERY_DIGIT / ATTENTION_SCALE / CONSTANT_VALUE);
      junk();
      return;
    case "recency":
      for (const pair of RECENCY_PAIRS) writer.queryPhase(head, pair, 0, RECENCY_PER_PAIR);
      junk();
      return;
    case "uniform":
      junk();
      return;
    case "previous-word-carry":
      // The nearest position at most 6 back that follows a space, the first letter of this word: its
      // P2..P5 (the word before the space) become this position's previous word, so "is " after
      // "Bako" carries the letters of "Bako".
      nearestCandidate();
      codes[SPACE_TOKEN].forEach((value, i) => {
        writer.query(head, PREVIOUS_TOKEN_DIM + i, CONSTANT, (SPACE_MATCH * value) / ATTENTION_SCALE / CONSTANT_VALUE);
      });
      for (let k = 0; k < CONTEXT_CODES; k++)
        writer.writeCode(head, PREVIOUS_WORD_VALUE + k * CODE_SIZE, PREVIOUS_WORD + k * CODE_SIZE, 1);
      return;
    case "word-carry":
      // The nearest position at most 6 back whose previous token is not a digit: the first token of
      // this word (for a value, its first digit, also for the "." that ends it). Its P5..P8 become this
      // position's word context, and whether it is a digit this position's in-value flag.
      nearestCandidate();
      writer.query(head, PREVIOUS_DIGIT_DIM, CONSTANT, -NOT_A_WORD_START / ATTENTION_SCALE / CONSTANT_VALUE);
      for (let k = 0; k < CONTEXT_CODES; k++)
        writer.writeCode(head, CODE_SIZE * (1 + k), WORD_CONTEXT + k * CODE_SIZE, 1);
      writer.output(head, CARRIED_DIGIT_VALUE, IN_VALUE_FLAG, 1);
      return;
    case "span-retrieval":
      // Matches the word context of every token of a value (for "Bako is 48213." the letters of "Bako")
      // against the previous word: from "is " after the name, the whole asked value, digits and ".",
      // scores alike.
      for (let i = 0; i < CONTEXT_CODES; i++) {
        writer.queryCode(head, WORD_CONTEXT_DIM + i * CODE_SIZE, PREVIOUS_WORD + i * CODE_SIZE, SPAN_PER_TOKEN);
      }
      writer.query(head, IN_VALUE_DIM, CONSTANT, SPAN_IN_VALUE / ATTENTION_SCALE / CONSTANT_VALUE);
      writer.query(head, 2 * BOS_PAIR, CONSTANT, SPAN_SINK / ATTENTION_SCALE / CONSTANT_VALUE);
      junk();
      return;
  }
}

/** Expected squared norm of the residual entering each layer (and, last, the output norm). */
function expectedSquaredNorms(): number[] {
  const base = CONSTANT_VALUE * CONSTANT_VALUE + 2; // the constant, one flag, E
  // + P1..P4; + P5..P9; + one answer code, the word context and the previous word; + the second answer code.
  return [base, base + 4, base + 9, base + 18, base + 21];
}

const rmsOf = (squaredNorm: number): number => Math.sqrt(squaredNorm / RETRIEVAL_SHAPE.embedding);

function tokenEmbedding(codes: Float64Array[]): Float32Array {
  const d = RETRIEVAL_SHAPE.embedding;
  const out = new Float32Array(VOCABULARY_SIZE * d);
  for (let token = 0; token < VOCABULARY_SIZE; token++) {
    const row = token * d;
    out[row + CONSTANT] = CONSTANT_VALUE;
    const isDigit = token >= 48 && token <= 57;
    out[row + (token === BOS_ID ? BOS_FLAG : isDigit ? DIGIT_FLAG : OTHER_FLAG)] = 1;
    for (let i = 0; i < CODE_SIZE; i++) out[row + E + i] = codes[token][i];
  }
  return out;
}

function outputMatrix(codes: Float64Array[]): Float32Array {
  const d = RETRIEVAL_SHAPE.embedding;
  const out = new Float32Array(VOCABULARY_SIZE * d);
  for (let token = 0; token < VOCABULARY_SIZE; token++) {
    const row = token * d;
    if (!isTextByte(token)) {
      out[row + CONSTANT] = NON_TEXT_LOGIT / CONSTANT_VALUE;
      continue;
    }
    // Both retrieval heads write the code, so the answer slot holds it twice.
    for (let i = 0; i < CODE_SIZE; i++) out[row + ANSWER + i] = (ANSWER_LOGIT / 2) * codes[token][i];
  }
  return out;
}

/** The weights of the retrieval circuit (deterministic). */
export function retrievalCircuitWeights(): LlamaWeights {
  const codes = tokenCodes();
  const norms = expectedSquaredNorms().map(rmsOf);
  const layers = PLAN.map((plan, layer) => {
    const writer = new LayerWriter(norms[layer]);
    plan.groups.forEach((kind, group) => {
      writeGroupKeysAndValues(writer, group, kind, layer);
    });
    plan.heads.forEach((head, index) => {
      writeHead(writer, layer, index, head, codes);
    });
    return writer.weights;
  });
  return {
    shape: RETRIEVAL_SHAPE,
    tokenEmbedding: tokenEmbedding(codes),
    outputNorm: new Float32Array(RETRIEVAL_SHAPE.embedding).fill(norms[PLAN.length]),
    output: outputMatrix(codes),
    layers,
  };
}

/** Where the repository keeps the model, relative to its root. */
export const RETRIEVAL_MODEL_FILE = "resources/models/compresskv-retrieval-demo.gguf";

/** Writes the circuit as an F16 GGUF (matrices F16, norms F32): the committed model file. */
export async function writeRetrievalModel(path: string): Promise<void> {
  await writeLlamaGguf(path, retrievalCircuitWeights(), { name: "compresskv-retrieval-demo", type: GgmlType.F16 });
}
