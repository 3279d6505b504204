import type { PageRange, TokenMap } from "../../src-main/api/contract";

/** The page holding a document character offset, or null outside every page. */
export function pageAt(pages: readonly PageRange[], offset: number): number | null {
  let low = 0;
  let high = pages.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const page = pages[middle];
    if (offset < page.start) high = middle - 1;
    else if (offset >= page.end) low = middle + 1;
    else return page.page;
  }
  return null;
}

/** Prompt token positions that hold document text: offsets[position] >= 0. */
export function documentTokenCount(map: TokenMap): number {
  let count = 0;
  for (const offset of map.offsets) if (offset >= 0) count++;
  return count;
}

/** The character range [start, end) a prompt token covers, or null outside the document. */
export function tokenCharacters(
  map: TokenMap,
  position: number,
  textLength: number,
): { start: number; end: number } | null {
  const start = map.offsets[position];
  if (start === undefined || start < 0) return null;
  let end = textLength;
  for (let next = position + 1; next < map.offsets.length; next++) {
    if (map.offsets[next] >= 0) {
      end = Math.max(start, map.offsets[next]);
      break;
    }
  }
  return { start, end: end > start ? end : Math.min(textLength, start + 1) };
}
