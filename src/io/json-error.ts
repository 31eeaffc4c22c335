/**
 * Where JSON text stops being JSON (RFC 8259), for messages: V8's JSON.parse says "Unexpected
 * token 'N'" without a position for many errors, and a population of NaN in line 40,112 of a
 * GeoJSON file needs its line named. A scan with an explicit stack (no recursion, so any nesting
 * is fine), called only once JSON.parse has failed.
 */
export interface JsonErrorPlace {
  line: number;
  column: number;
  /** What is there: `NaN`, `"}"`, `"features"`, or 'the end of the file'. */
  found: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** The first place `text` is not valid JSON, or null when it is. */
export function jsonErrorPlace(text: string): JsonErrorPlace | null {
  let i = 0;
  // What is expected next: a value, or after a value the closing of its container.
  const stack: Array<'[' | '{'> = [];
  const skip = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const fail = (): JsonErrorPlace => place(text, i);
  const match = (re: RegExp) => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  for (;;) {
    // A value.
    skip();
    const ch = text[i];
    if (ch === '{' || ch === '[') {
      i++;
      skip();
      if ((ch === '{' && text[i] === '}') || (ch === '[' && text[i] === ']')) i++;
      else {
        stack.push(ch);
        if (ch === '{') {
          if (!match(STRING)) return fail();
          skip();
          if (text[i] !== ':') return fail();
          i++;
        }
        continue;
      }
    } else if (ch === '"') {
      if (!match(STRING)) return fail();
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else if (!match(NUMBER)) return fail();
    // After a value: a comma and the next, or the close of containers.
    for (;;) {
      skip();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? fail() : null;
      if (text[i] === ',') {
        i++;
        if (top === '{') {
          skip();
          if (!match(STRING)) return fail();
          skip();
          if (text[i] !== ':') return fail();
          i++;
        }
        break;
      }
      if ((top === '[' && text[i] === ']') || (top === '{' && text[i] === '}')) {
        i++;
        stack.pop();
        continue;
      }
      return fail();
    }
  }
}

function place(text: string, at: number): JsonErrorPlace {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const word = /^[A-Za-z_$][\w$]*|^-?Infinity/.exec(text.slice(at, at + 40))?.[0];
  const found = at >= text.length ? 'the end of the file' : word && /^(NaN|-?Infinity|undefined)$/.test(word) ? word : JSON.stringify(word ?? text[at]);
  return { line, column: at - lineStart + 1, found };
}
