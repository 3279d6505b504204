import { describe, expect, it } from "vitest";
import {
  makeCodeLookupPrompt,
  MIN_FACTS,
  VALUE_CONTEXT_LENGTH,
  type CodeLookupPrompt,
} from "../../../src-main/tasks/code-lookup-task";

const seeds = Array.from({ length: 60 }, (_, i) => 100 + i);
const lengths = [512, 1024, 2047, 4095];

function each(check: (task: CodeLookupPrompt, length: number) => void): void {
  for (const length of lengths) for (const seed of seeds) check(makeCodeLookupPrompt({ seed, length }), length);
}

describe("code-lookup task", () => {
  it("is a pure function of its options", () => {
    const a = makeCodeLookupPrompt({ seed: 7, length: 1024, depth: 0.3 });
    const b = makeCodeLookupPrompt({ seed: 7, length: 1024, depth: 0.3 });
    expect(b).toEqual(a);
    expect(makeCodeLookupPrompt({ seed: 8, length: 1024, depth: 0.3 }).prompt).not.toBe(a.prompt);
  });

  it("spans point at the facts and the asked value", () => {
    each((task) => {
      expect(task.prompt.slice(task.answerSpan.start, task.answerSpan.end)).toBe(task.answer);
      expect(task.facts[task.askedFact].valueSpan).toEqual(task.answerSpan);
      for (const fact of task.facts) {
        const sentence = task.prompt.slice(fact.sentence.start, fact.sentence.end);
        expect(sentence).toMatch(new RegExp(`^The [a-z ]+ (of|for) ${fact.name} is ${fact.value}\\.$`));
        expect(task.prompt.slice(fact.valueSpan.start, fact.valueSpan.end)).toBe(fact.value);
      }
    });
  });

  it("holds at least 8 facts, within the target length, ending with the asked fact's opening", () => {
    each((task, length) => {
      expect(task.facts.length).toBeGreaterThanOrEqual(MIN_FACTS);
      expect(task.prompt.length).toBeLessThanOrEqual(length);
      expect(task.prompt.length).toBeGreaterThan(length - 100);
      const asked = task.facts[task.askedFact];
      const sentence = task.prompt.slice(asked.sentence.start, asked.sentence.end);
      const opening = sentence.slice(0, sentence.length - asked.value.length - 1);
      expect(task.prompt.endsWith(opening)).toBe(true);
      expect(task.prompt).toMatch(/^[\x20-\x7e]+$/);
    });
  });

  it("tells every value apart by the characters just before it", () => {
    each((task) => {
      const contexts = task.facts.map((fact) =>
        task.prompt.slice(fact.valueSpan.start - VALUE_CONTEXT_LENGTH, fact.valueSpan.start),
      );
      expect(new Set(contexts).size).toBe(task.facts.length);
      expect(new Set(task.facts.map((fact) => fact.value)).size).toBe(task.facts.length);
      const query = task.prompt.slice(-VALUE_CONTEXT_LENGTH);
      expect(contexts.indexOf(query)).toBe(task.askedFact);
    });
  });

  it("places the asked fact at the requested depth", () => {
    for (const depth of [0, 0.25, 0.5, 0.75, 1]) {
      for (const seed of seeds.slice(0, 10)) {
        const task = makeCodeLookupPrompt({ seed, length: 2047, depth });
        expect(Math.abs(task.depth - depth)).toBeLessThan(0.1);
      }
    }
  });

  it("varies wording and query style", () => {
    const styles = new Set<string>();
    const openings = new Set<string>();
    each((task) => {
      styles.add(task.queryStyle);
      for (const fact of task.facts) openings.add(task.prompt.slice(fact.sentence.start, fact.sentence.start + 12));
    });
    expect(styles).toEqual(new Set(["repeat", "question"]));
    expect(openings.size).toBeGreaterThanOrEqual(4);
  });
});
