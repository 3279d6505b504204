import type { DocumentText, TokenMap } from "../../src-main/api/contract";
import { pageAt, tokenCharacters } from "./document-positions";
import { rangesContain } from "./flat-ranges";

/** What the heat map says about one cell (a layer and a token position). */
export interface CellDescription {
  layer: number;
  position: number;
  kept: boolean;
  /** Held in the reservoir (whether or not this answer kept it); false without a reservoir. */
  inReservoir: boolean;
  page: number | null;
  /** The token's characters in the document, widened to whole words; null outside the document. */
  span: { start: number; end: number } | null;
  /** Text around the token: before, the token's word(s), after. */
  snippet: { before: string; word: string; after: string } | null;
}

const CONTEXT = 48;

function isSpace(character: string | undefined): boolean {
  return character === undefined || /\s/.test(character);
}

export function describeCell(
  layers: readonly (readonly number[])[],
  map: TokenMap,
  text: DocumentText,
  layer: number,
  position: number,
  /** A reservoir's positions, when the answer chose its cells from one. */
  reservoir?: readonly number[],
): CellDescription {
  const kept = rangesContain(layers[layer] ?? [], position);
  const inReservoir = reservoir !== undefined && rangesContain(reservoir, position);
  const characters = tokenCharacters(map, position, text.text.length);
  if (!characters) return { layer, position, kept, inReservoir, page: null, span: null, snippet: null };
  let { start, end } = characters;
  while (start > 0 && !isSpace(text.text[start - 1]) && characters.start - start < CONTEXT) start--;
  while (end < text.text.length && !isSpace(text.text[end]) && end - characters.end < CONTEXT) end++;
  const snippet = {
    before: text.text.slice(Math.max(0, start - CONTEXT), start).replace(/\s+/g, " "),
    word: text.text.slice(start, end),
    after: text.text.slice(end, end + CONTEXT).replace(/\s+/g, " "),
  };
  return {
    layer,
    position,
    kept,
    inReservoir,
    page: pageAt(text.pages, characters.start),
    span: { start, end },
    snippet,
  };
}

/** For each page, the first token position inside it (where its tick goes on the x axis). */
export function pageStartPositions(map: TokenMap, text: DocumentText): { page: number; position: number }[] {
  const starts: { page: number; position: number }[] = [];
  let next = 0;
  for (let position = 0; position < map.offsets.length && next < text.pages.length; position++) {
    const offset = map.offsets[position];
    if (offset < 0) continue;
    while (next < text.pages.length && text.pages[next].end <= offset) next++;
    if (next < text.pages.length && offset >= text.pages[next].start) {
      starts.push({ page: text.pages[next].page, position });
      next++;
    }
  }
  return starts;
}
