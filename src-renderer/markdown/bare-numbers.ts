/**
 * A line that is only a number and a period ("111390.", "1990)") is, to CommonMark, an ordered list
 * item with nothing in it: the number would become a list marker and vanish from the text. Models
 * answer with such lines ("The code is" -> " 111390."), and never mean an empty list item, so the
 * delimiter is escaped and the line stays the text it is. Lines inside fenced code are left alone.
 */
const BARE_NUMBER = /^( {0,3})(\d{1,9})([.)])[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function escapeBareNumberLines(text: string): string {
  let fence: string | null = null;
  return text
    .split("\n")
    .map((line) => {
      const opening = FENCE.exec(line)?.[1];
      if (fence) {
        if (opening && opening[0] === fence[0] && opening.length >= fence.length) fence = null;
        return line;
      }
      if (opening) {
        fence = opening;
        return line;
      }
      return line.replace(BARE_NUMBER, "$1$2\\$3");
    })
    .join("\n");
}
