import type { LlamaModel, Token } from "node-llama-cpp";
import type { AnswerSpan } from "../compresskv";
import type { PromptFormat } from "../engine/prompt-format";
import { tokenTextOffsets } from "../engine/token-offsets";
import { answerPositions } from "./answer-span";
import type { ProbeSpec } from "./calibration-settings";
import { haystackOfLength, placeNeedle } from "./needle-placement";
import type { Needle } from "./needles";

export interface ProbePrompt {
  readonly spec: ProbeSpec;
  readonly tokens: Token[];
  /** The answer's prompt positions and their tokens. */
  readonly span: AnswerSpan;
}

/** Characters of haystack used to measure the tokenizer's characters per token. */
const SAMPLE_CHARS = 16_384;

/** Builds each probe's prompt with the model's own prompt format, sized in tokens from a measured ratio. */
export class ProbePromptBuilder {
  private readonly charsPerToken: number;

  constructor(
    private readonly model: LlamaModel,
    private readonly format: PromptFormat,
    private readonly style: "chat" | "completion",
    private readonly haystack: string,
  ) {
    const sample = haystackOfLength(haystack, SAMPLE_CHARS);
    this.charsPerToken = sample.length / Math.max(1, model.tokenize(sample).length);
  }

  /** What the model is asked: the question for chat models, the cue for completion models. */
  askOf(needle: Needle): string {
    return this.style === "chat" ? needle.question : needle.cue;
  }

  build(spec: ProbeSpec): ProbePrompt {
    const ask = this.askOf(spec.needle);
    const overhead = this.format.tokens("", [], ask).length + this.model.tokenize(spec.needle.sentence).length + 1;
    const haystackTokens = spec.length - overhead;
    if (haystackTokens < 1) throw new RangeError(`a ${spec.length}-token probe leaves no room for the haystack`);
    const haystack = haystackOfLength(this.haystack, Math.floor(haystackTokens * this.charsPerToken));
    const document = placeNeedle(haystack, spec.needle.sentence, spec.depth).text;
    const tokens = this.format.tokens(document, [], ask);
    const { text, offsets } = tokenTextOffsets(this.model, tokens);
    const positions = answerPositions(text, offsets, spec.needle.sentence, spec.needle.answer);
    return { spec, tokens, span: { positions, tokens: Int32Array.from(positions, (p) => tokens[p]) } };
  }
}
