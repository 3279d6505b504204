import { METRIC_NAMES, type MetricName } from "./metrics";
import type { EvalItem } from "./eval-item";

export const DEFAULT_JSONL_METRIC: MetricName = "f1";
export const DEFAULT_JSONL_MAX_TOKENS = 64;

/** A line of a task file that is not a valid item. */
export class TaskFileError extends Error {
  constructor(
    readonly source: string,
    readonly line: number | null,
    problem: string,
  ) {
    super(line === null ? `${source}: ${problem}` : `${source} line ${line}: ${problem}`);
    this.name = "TaskFileError";
  }
}

type Fields = Record<string, unknown>;

function text(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new Error(`"${name}" must be a string`);
  return value;
}

function answers(fields: Fields): string[] {
  const value = fields.answers ?? fields.answer;
  const list = typeof value === "string" ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((answer) => typeof answer === "string" && answer.trim())
  ) {
    throw new Error(`"answers" must be a non-empty string or a non-empty list of non-empty strings`);
  }
  return list as string[];
}

function metric(fields: Fields): MetricName {
  const value = fields.metric ?? DEFAULT_JSONL_METRIC;
  if (!METRIC_NAMES.includes(value as MetricName)) {
    throw new Error(`"metric" must be one of ${METRIC_NAMES.join(", ")}, not ${JSON.stringify(value)}`);
  }
  return value as MetricName;
}

function maxTokens(fields: Fields): number {
  const value = fields.maxTokens ?? DEFAULT_JSONL_MAX_TOKENS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw new Error(`"maxTokens" must be a positive whole number`);
  return value;
}

function stop(fields: Fields): string[] {
  const value = fields.stop ?? [];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === "string" && entry.length > 0)) {
    throw new Error(`"stop" must be a list of non-empty strings`);
  }
  return value as string[];
}

function itemOf(fields: Fields, lineNumber: number): EvalItem {
  const context = text(fields, "context");
  if (context === undefined || !context.trim()) throw new Error(`"context" must be a non-empty string`);
  // LongBench calls the question "input".
  const question = text(fields, "question") ?? text(fields, "input");
  if (question === undefined || !question.trim()) throw new Error(`"question" must be a non-empty string`);
  const id = fields.id ?? fields._id ?? `line-${lineNumber}`;
  if (typeof id !== "string" && typeof id !== "number") throw new Error(`"id" must be a string or a number`);
  return {
    id: String(id),
    context,
    question,
    answers: answers(fields),
    metric: metric(fields),
    maxTokens: maxTokens(fields),
    stop: stop(fields),
  };
}

/**
 * Items of a JSONL task file: one JSON object per line with `context`, `question` (or `input`),
 * `answers` (a list, or one string as `answer`), and optionally `id`, `metric`, `maxTokens`, `stop`.
 * Blank lines are skipped; any other bad line throws a TaskFileError naming it.
 */
export function parseJsonlItems(content: string, source: string): EvalItem[] {
  const items: EvalItem[] = [];
  const lineOfId = new Map<string, number>();
  content.split(/\r?\n/).forEach((line, index) => {
    const lineNumber = index + 1;
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new TaskFileError(source, lineNumber, `not valid JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new TaskFileError(source, lineNumber, "expected a JSON object");
    }
    let item: EvalItem;
    try {
      item = itemOf(parsed as Fields, lineNumber);
    } catch (error) {
      throw new TaskFileError(source, lineNumber, (error as Error).message);
    }
    const earlier = lineOfId.get(item.id);
    if (earlier !== undefined)
      throw new TaskFileError(source, lineNumber, `id "${item.id}" is already used on line ${earlier}`);
    lineOfId.set(item.id, lineNumber);
    items.push(item);
  });
  if (items.length === 0) throw new TaskFileError(source, null, "the file holds no items");
  return items;
}
