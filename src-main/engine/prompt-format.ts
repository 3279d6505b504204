import { resolveChatWrapper, type ChatHistoryItem, type LlamaModel, type Token } from "node-llama-cpp";
import type { LoadedModel } from "./loaded-model";

export interface ConversationTurn {
  question: string;
  answer: string;
}

/** How a document, the chat so far and a new question become the tokens the model continues. */
export interface PromptFormat {
  /** What the prompts are, for people: "chat template (ChatML)" or "plain completion (no chat template)". */
  readonly name: string;
  tokens(documentText: string, history: ConversationTurn[], question: string): Token[];
  /** Texts that end an answer when generated (besides end-of-generation tokens). */
  stopTexts: string[];
  /**
   * How much less likely a token the answer already holds becomes (llama.cpp's repeat penalty over
   * the answer's last 64 tokens), or null for none.
   */
  repeatPenalty: number | null;
}

/** What chat apps default to: without it a small chat model at temperature 0 soon loops on one sentence. */
const CHAT_REPEAT_PENALTY = 1.1;

const INSTRUCTIONS =
  "You answer questions about the document below. Answer from the document only, briefly and precisely.";

/** For models with a chat template: the document in the system message, each question a user turn. */
export function chatPromptFormat(model: LlamaModel): PromptFormat {
  const wrapper = resolveChatWrapper(model);
  const stopTexts: string[] = [];
  return {
    name: `chat template (${wrapper.wrapperName})`,
    stopTexts,
    repeatPenalty: CHAT_REPEAT_PENALTY,
    tokens(documentText, history, question) {
      const chatHistory: ChatHistoryItem[] = [
        { type: "system", text: `${INSTRUCTIONS}\n\n<document>\n${documentText}\n</document>` },
      ];
      for (const turn of history) {
        chatHistory.push({ type: "user", text: turn.question }, { type: "model", response: [turn.answer] });
      }
      chatHistory.push({ type: "user", text: question }, { type: "model", response: [] });
      const { contextText } = wrapper.generateContextState({ chatHistory });
      return contextText.tokenize(model.tokenizer);
    },
  };
}

/**
 * For base models without a chat template (such as the bundled retrieval demo): plain text, the
 * document then each question on its own line; the answer is the continuation up to the newline.
 */
export function completionPromptFormat(model: LlamaModel): PromptFormat {
  const bos = model.tokens.bos;
  return {
    name: "plain completion (no chat template)",
    stopTexts: ["\n"],
    // A completion may repeat on purpose (the demo model's codes repeat digits).
    repeatPenalty: null,
    tokens(documentText, history, question) {
      const turns = history.map((turn) => `${turn.question}${turn.answer}\n`).join("");
      const text = `${documentText}\n\n${turns}${question}`;
      const tokens = model.tokenize(text);
      return bos === null ? tokens : [bos, ...tokens];
    },
  };
}

/** The tokens every question's prompt starts with: the part that depends on the document alone. */
export function documentPrefix(format: PromptFormat, documentText: string): Token[] {
  const a = format.tokens(documentText, [], "A?");
  const b = format.tokens(documentText, [], "B?");
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return a.slice(0, length);
}

/** The format a loaded model's prompts take: its chat template, or plain completion without one. */
export function promptFormatFor(loaded: LoadedModel): PromptFormat {
  return loaded.info.promptStyle === "chat" ? chatPromptFormat(loaded.model) : completionPromptFormat(loaded.model);
}
