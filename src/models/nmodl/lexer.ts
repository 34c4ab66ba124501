import { InvalidArgumentError } from "../../errors.js";

/**
 * The NMODL lexer: hand-written, one pass over the text, every token with its line.
 *
 * Comments (`: …` and `? …` to the end of the line, `COMMENT … ENDCOMMENT`) and the text of `TITLE` are
 * consumed here; `VERBATIM` (C code) is refused with its line. Numbers are kept with their source text so
 * that unit conversions can work on the decimal the author wrote (`.12` S/cm² → 120 mS/cm² exactly).
 */
export type Token =
  | { readonly kind: "num"; readonly value: number; readonly text: string; readonly line: number }
  | { readonly kind: "name"; readonly text: string; readonly line: number }
  | { readonly kind: "prime"; readonly text: string; readonly line: number }
  | { readonly kind: "op"; readonly text: string; readonly line: number }
  | { readonly kind: "string"; readonly text: string; readonly line: number }
  | { readonly kind: "title"; readonly text: string; readonly line: number }
  | { readonly kind: "eof"; readonly text: ""; readonly line: number };

/** A one-line error naming the file and line: `hh.mod:12: what went wrong`. */
export const nmodlError = (file: string, line: number, message: string): InvalidArgumentError =>
  new InvalidArgumentError(`${file}:${line}: ${message}`);

const isDigit = (c: string) => c >= "0" && c <= "9";
const isNameStart = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isNameChar = (c: string) => isNameStart(c) || isDigit(c);

const TWO_CHAR = new Set(["<=", ">=", "==", "!=", "&&", "||", "->"]);
const ONE_CHAR = new Set(["+", "-", "*", "/", "^", "(", ")", "{", "}", ",", "<", ">", "=", "!", "~", "[", "]", "%", "@"]);

/** Splits NMODL source into tokens; throws `file:line: …` on a character that is not NMODL. */
export function tokenize(text: string, file: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  const restOfLine = () => {
    const start = i;
    while (i < n && text[i] !== "\n" && text[i] !== "\r") i++;
    return text.slice(start, i);
  };
  while (i < n) {
    const c = text[i] as string;
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) {
      // a lone CR ends a line too (files written with classic Mac line ends)
      line++;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") {
      i++;
      continue;
    }
    if (c === ":" || c === "?") {
      restOfLine();
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(text[i + 1] ?? ""))) {
      const start = i;
      while (i < n && isDigit(text[i] as string)) i++;
      if (text[i] === ".") {
        i++;
        while (i < n && isDigit(text[i] as string)) i++;
      }
      if (
        (text[i] === "e" || text[i] === "E") &&
        (isDigit(text[i + 1] ?? "") || (/[-+]/.test(text[i + 1] ?? "") && isDigit(text[i + 2] ?? "")))
      ) {
        i += 2;
        while (i < n && isDigit(text[i] as string)) i++;
      }
      const t = text.slice(start, i);
      out.push({ kind: "num", value: Number(t), text: t, line });
      continue;
    }
    if (isNameStart(c)) {
      const start = i;
      while (i < n && isNameChar(text[i] as string)) i++;
      const word = text.slice(start, i);
      if (word === "COMMENT") {
        const startLine = line;
        const end = text.indexOf("ENDCOMMENT", i);
        if (end < 0) throw nmodlError(file, startLine, "COMMENT without ENDCOMMENT");
        for (let k = i; k < end; k++) if (text[k] === "\n" || (text[k] === "\r" && text[k + 1] !== "\n")) line++;
        i = end + "ENDCOMMENT".length;
        continue;
      }
      if (word === "VERBATIM") {
        throw nmodlError(
          file,
          line,
          "VERBATIM (C code inside NMODL) cannot be translated; allowed: the NMODL language only (rewrite the block in NMODL)",
        );
      }
      if (word === "TITLE") {
        out.push({ kind: "title", text: restOfLine().trim(), line });
        continue;
      }
      if (text[i] === "'") {
        i++;
        out.push({ kind: "prime", text: word, line });
        continue;
      }
      out.push({ kind: "name", text: word, line });
      continue;
    }
    if (c === '"') {
      const start = ++i;
      while (i < n && text[i] !== '"' && text[i] !== "\n" && text[i] !== "\r") i++;
      if (text[i] !== '"') throw nmodlError(file, line, "string without closing quote");
      out.push({ kind: "string", text: text.slice(start, i++), line });
      continue;
    }
    if (c === "<" && text.slice(i, i + 3) === "<->") {
      out.push({ kind: "op", text: "<->", line });
      i += 3;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR.has(two)) {
      out.push({ kind: "op", text: two, line });
      i += 2;
      continue;
    }
    if (ONE_CHAR.has(c)) {
      out.push({ kind: "op", text: c, line });
      i++;
      continue;
    }
    throw nmodlError(file, line, `unexpected character ${JSON.stringify(c)}`);
  }
  out.push({ kind: "eof", text: "", line });
  return out;
}
