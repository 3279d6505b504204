/**
 * What every haystack task generator returns: a document with something hidden in it, a question about
 * it and the answers that count. Pure data: the generators are seeded functions of their options.
 */

/** A character range [start, end) of a text. */
export interface Span {
  start: number;
  end: number;
}

export interface HaystackTask {
  /** The document: haystack with the inserted sentences. */
  context: string;
  question: string;
  /** Accepted answers (the best one counts). */
  answers: string[];
  /** Where each answer-bearing text sits in `context` (the needle's answer, or each variable's name). */
  answerSpans: Span[];
  /** Relative depth (0 start, 1 end) of the asked needle's start in `context`. */
  depth: number;
}
