// The .npy header's Python dict literal, read token by token: {'descr': '<f4',
// 'fortran_order': False, 'shape': (n, d), }. A pattern search would take the first
// "'descr': ..." anywhere in the text, even inside another value, and would not see a key given
// twice; this reads each key once, in place. NumPy writes exactly these three keys: the first
// other key ends the reading, and what follows it is ignored as data (never evaluated; the
// security tests put code there).
import { AdacoreError } from '../errors.js';

/** A header value: a string, True / False, a tuple's raw items, or a list (structured dtypes). */
export type HeaderValue =
  | { kind: 'string'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'tuple'; items: string }
  | { kind: 'list' };

const KEYS = ['descr', 'fortran_order', 'shape'];

/** The literal's three entries by key; `show` spells a text for a message (escaped, shortened). */
export function parseHeaderLiteral(text: string, source: string, show: (text: string) => string): Map<string, HeaderValue> {
  const malformed = (what: string) => new AdacoreError(source, `malformed .npy header: ${what} in ${show(text.trim())}`);
  const entries = new Map<string, HeaderValue>();
  let at = 0;
  const skipSpace = () => { while (at < text.length && /\s/.test(text[at])) at++; };
  const quoted = (): string | undefined => {
    const quote = text[at];
    if (quote !== "'" && quote !== '"') return undefined;
    const end = text.indexOf(quote, at + 1);
    if (end < 0) throw malformed('an unterminated string');
    const value = text.slice(at + 1, end);
    at = end + 1;
    return value;
  };
  skipSpace();
  if (text[at] !== '{') throw malformed('no opening {');
  at++;
  for (;;) {
    skipSpace();
    if (text[at] === '}') break;
    const key = quoted();
    if (key === undefined) throw malformed(`a key that is not a quoted string at character ${at}`);
    if (!KEYS.includes(key)) return entries;
    if (entries.has(key)) throw malformed(`the key '${key}' twice`);
    skipSpace();
    if (text[at] !== ':') throw malformed(`no ':' after '${key}'`);
    at++;
    skipSpace();
    const found = value(key);
    entries.set(key, found);
    if (found.kind === 'list') return entries; // a structured dtype: refused by the caller, whatever follows
    skipSpace();
    if (text[at] === ',') at++;
    else if (text[at] !== '}') throw malformed(`no ',' or '}' after the value of '${key}'`);
  }
  at++;
  skipSpace();
  if (at < text.length) throw malformed('text after the closing }');
  return entries;

  function value(key: string): HeaderValue {
    const string = quoted();
    if (string !== undefined) return { kind: 'string', text: string };
    for (const [word, bool] of [['True', true], ['False', false]] as const) {
      if (text.startsWith(word, at)) { at += word.length; return { kind: 'bool', value: bool }; }
    }
    if (text[at] === '(') {
      const end = text.indexOf(')', at);
      if (end < 0) throw malformed(`an unterminated tuple for '${key}'`);
      const items = text.slice(at + 1, end);
      at = end + 1;
      return { kind: 'tuple', items };
    }
    if (text[at] === '[') return { kind: 'list' };
    throw malformed(`an unreadable value for '${key}'`);
  }
}
