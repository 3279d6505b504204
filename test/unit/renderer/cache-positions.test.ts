import { describe, expect, it } from "vitest";
import type { DocumentText, TokenMap } from "../../../src-main/api/contract";
import { answerTerms, citationsFor } from "../../../src-renderer/cache/citations";
import { documentTokenCount, pageAt, tokenCharacters } from "../../../src-renderer/cache/document-positions";
import { describeCell, pageStartPositions } from "../../../src-renderer/cache/heatmap-cursor";
import { paintHeatmap, parseRgb } from "../../../src-renderer/cache/heatmap-image";

// Two pages; one token per character (like the byte-level demo model) after a BOS, then 2 question tokens.
const text: DocumentText = {
  documentId: "d",
  text: "Alpha beta. Code 111390 here.Gamma delta end.",
  pages: [
    { page: 1, start: 0, end: 29 },
    { page: 2, start: 29, end: 45 },
  ],
};
const map: TokenMap = {
  documentId: "d",
  modelId: "m",
  offsets: [-1, ...Array.from({ length: 45 }, (_, i) => i), -1, -1],
};
// Layer 0 keeps the BOS and "Al" (positions 0-2) and "Code 111390" (13-23); layer 1 the same start and "Gamma".
const layers = [
  [0, 3, 13, 24],
  [0, 3, 30, 35],
];

describe("document positions", () => {
  it("finds pages, token characters and the document's token count", () => {
    expect([pageAt(text.pages, 0), pageAt(text.pages, 28), pageAt(text.pages, 29), pageAt(text.pages, 45)]).toEqual([
      1,
      1,
      2,
      null,
    ]);
    expect(tokenCharacters(map, 0, 45)).toBeNull();
    expect(tokenCharacters(map, 18, 45)).toEqual({ start: 17, end: 18 });
    expect(tokenCharacters(map, 45, 45)).toEqual({ start: 44, end: 45 });
    expect(documentTokenCount(map)).toBe(45);
  });

  it("puts a page tick at each page's first token", () => {
    expect(pageStartPositions(map, text)).toEqual([
      { page: 1, position: 1 },
      { page: 2, position: 30 },
    ]);
  });

  it("describes a heat map cell with its page, word and whether the layer kept it", () => {
    expect(describeCell(layers, map, text, 0, 19)).toEqual({
      layer: 0,
      position: 19,
      kept: true,
      inReservoir: false,
      page: 1,
      span: { start: 17, end: 23 },
      snippet: { before: "Alpha beta. Code ", word: "111390", after: " here.Gamma delta end." },
    });
    expect(describeCell(layers, map, text, 1, 19).kept).toBe(false);
    // Inside a reservoir the answer did not keep it from: held, masked for this answer.
    expect(describeCell(layers, map, text, 1, 19, [0, 40])).toMatchObject({ kept: false, inReservoir: true });
    expect(describeCell(layers, map, text, 1, 19, [0, 10])).toMatchObject({ kept: false, inReservoir: false });
    expect(describeCell(layers, map, text, 1, 46)).toEqual({
      layer: 1,
      position: 46,
      kept: false,
      inReservoir: false,
      page: null,
      span: null,
      snippet: null,
    });
  });
});

describe("citations", () => {
  it("keeps an answer's numbers and longer words as search terms", () => {
    expect(answerTerms("The code is 111390, I think.")).toEqual(["code", "111390", "think"]);
  });

  it("cites first the page whose retained text holds the answer", () => {
    const [citation, ...others] = citationsFor(layers, map, text, " 111390.");
    expect(others).toEqual([]);
    expect(citation).toMatchObject({ page: 1, start: 17, end: 23, matchedTerms: 1 });
    // Page 1 keeps 7.5 layer-tokens of 29, the document 10 of 45.
    expect(citation.weight).toBeCloseTo(7.5 / 29 / (10 / 45), 10);
  });

  it("falls back to the page kept densest, at its heaviest retained run", () => {
    expect(citationsFor(layers, map, text, "I do not know.")).toEqual([
      { page: 1, start: 12, end: 23, matchedTerms: 0, weight: 7.5 / 29 / (10 / 45) },
    ]);
  });

  it("cites nothing for a cache that keeps everything and an answer not in the text", () => {
    expect(citationsFor([[0, map.offsets.length]], map, text, "Nothing matches.")).toEqual([]);
  });

  it("ignores words found on too many pages to tell them apart", () => {
    const everywhere: DocumentText = { ...text, text: "Alpha beta. Code 111390 here.Alpha delta end." };
    expect(citationsFor([[0, map.offsets.length]], map, everywhere, "Alpha")).toEqual([]);
  });
});

describe("heat map image", () => {
  it("blends each pixel column from evicted to kept by the share kept, one row per layer", () => {
    const pixels = paintHeatmap(
      [
        [0, 2],
        [1, 4],
      ],
      4,
      { width: 2, rowHeight: 1, gap: 1 },
      [255, 0, 0],
      [0, 0, 255],
    );
    expect(Array.from(pixels)).toEqual([
      ...[255, 0, 0, 255, 0, 0, 255, 255],
      ...[0, 0, 0, 0, 0, 0, 0, 0],
      ...[128, 0, 128, 255, 255, 0, 0, 255],
    ]);
  });

  it("paints the reservoir's cells the answer did not keep in their own colour", () => {
    // Row 0 keeps 0-1 of a reservoir 0-3; position 3 is evicted.
    const pixels = paintHeatmap([[0, 1]], 4, { width: 4, rowHeight: 1, gap: 0 }, [255, 0, 0], [0, 0, 255], {
      ranges: [0, 3],
      color: [0, 255, 0],
    });
    expect(Array.from(pixels)).toEqual([
      ...[255, 0, 0, 255],
      ...[0, 255, 0, 255],
      ...[0, 255, 0, 255],
      ...[0, 0, 255, 255],
    ]);
  });

  it("reads the browser's computed colours", () => {
    expect(parseRgb("rgb(36, 86, 199)", [0, 0, 0])).toEqual([36, 86, 199]);
    expect(parseRgb("rgba(1, 2, 3, 0.5)", [0, 0, 0])).toEqual([1, 2, 3]);
    expect(parseRgb("color(srgb 1 0 0)", [9, 9, 9])).toEqual([9, 9, 9]);
  });
});
