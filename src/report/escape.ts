/**
 * Names from data are text, never markup. report.md, compare.md and score.md are read in renderers
 * that pass raw HTML through (VS Code's preview, pandoc, many wikis), so a ward called
 * `<img src=x onerror=…>` must arrive as those characters, not as an element. One function escapes
 * every name written into Markdown: HTML's special characters as entities (CommonMark decodes
 * entities to the characters they stand for, as text: spec §6.2 "Entity and numeric character
 * references"), and the ASCII punctuation that starts inline Markdown (emphasis, code spans,
 * links, strikethrough, table cells) with a backslash (§2.4 "Backslash escapes"). Line breaks
 * become spaces, so a name cannot end a heading, a list item or a table row.
 *
 * What the report writes on purpose (bold, code spans around paths, image links) is built around
 * the escaped text, never from it.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text as Markdown inline content: entities for `< > "` and an `&` that would start one, backslashes before `\ ` * [ ] ~ |` and an `_` that could be emphasis, no line breaks. */
export function mdText(text: string): string {
  return (
    text
      .replace(/[\\`*[\]~|]/g, (c) => `\\${c}`)
      // An underscore between two letters or digits can neither open nor close emphasis (§6.2, "intraword"): age_65_plus stays as it is.
      .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
      // An ampersand is markup only where it starts an entity reference (&name; &#9; &#x9;): "ICC & Failsworth" stays readable.
      .replace(/&(?=[#A-Za-z0-9])/g, '&amp;')
      .replace(/[<>"]/g, (c) => HTML_ENTITIES[c])
      .replace(/\r\n?|\n/g, ' ')
  );
}

/**
 * Text as a Markdown code span (paths, commands): a run of backticks longer than any inside it
 * fences the text, and code spans show HTML literally (§6.1), so nothing in it is markup.
 */
export function mdCode(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || flat.startsWith(' ') || flat.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A relative link target (a map beside the report); in angle brackets when it holds spaces or brackets (§6.3). */
export function mdLink(target: string): string {
  return /[\s()<>]/.test(target) ? `<${target.replace(/[<>\n\r]/g, (c) => encodeURIComponent(c))}>` : target;
}

/** A fenced code block: a fence longer than any run of backticks inside (§4.5), so its content is literal. */
export function mdFence(text: string, info = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

/** Text for HTML content or a quoted attribute value. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === "'" ? '&#39;' : HTML_ENTITIES[c]));
}

/** Markdown written on purpose (bold, a link), passed through a table cell as it is: build it around mdText. */
export class Markup {
  constructor(readonly text: string) {}
}

export function markup(text: string): Markup {
  return new Markup(text);
}

/**
 * Text for a terminal: control characters from data (ESC starting a colour or a window-title
 * sequence, BEL, backspace, carriage return, NUL, DEL, the C1 controls) are shown as `\xHH`, so a
 * name or an id read from a file cannot recolour, overwrite or retitle the user's terminal, and
 * what is shown is what the file holds. Line feeds and tabs stay, so a whole message or report may
 * pass through; what the CLI colours on purpose is added after, never taken from data.
 */
export function terminalText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
