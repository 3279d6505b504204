/** A fact hidden in a haystack, and the two ways of asking for it. */
export interface Needle {
  /** The sentence placed in the haystack; it holds `answer` once. */
  readonly sentence: string;
  /** The short answer the model must reproduce. */
  readonly answer: string;
  /** The question asked of models with a chat template. */
  readonly question: string;
  /** The opening of the sentence that the answer continues, for completion models without a chat template. */
  readonly cue: string;
}

const ANSWER_BRIEFLY = "Answer with that word or number only.";

/**
 * The built-in needles. Names are made up so that no document already holds the sentence, and each
 * cue is the sentence up to the answer, so a completion model answers by copying.
 */
export const BUILT_IN_NEEDLES: readonly Needle[] = [
  {
    sentence: "The code of Bako is 48213.",
    answer: "48213",
    question: `What is the code of Bako? ${ANSWER_BRIEFLY}`,
    cue: "The code of Bako is",
  },
  {
    sentence: "The favourite colour of Mirela is saffron.",
    answer: "saffron",
    question: `What is the favourite colour of Mirela? ${ANSWER_BRIEFLY}`,
    cue: "The favourite colour of Mirela is",
  },
  {
    sentence: "The door code of Temiru is 70956.",
    answer: "70956",
    question: `What is the door code of Temiru? ${ANSWER_BRIEFLY}`,
    cue: "The door code of Temiru is",
  },
  {
    sentence: "The boat of Odrun is named Kestrel.",
    answer: "Kestrel",
    question: `What is the boat of Odrun named? ${ANSWER_BRIEFLY}`,
    cue: "The boat of Odrun is named",
  },
];
