'use strict';
// The functions defined in a C++ file, with the lines their bodies span
// (braces included), found by a scan of tokens rather than a compiler: enough
// for this code base, which has no macro that opens or closes a brace.
//
// Comments, string and character literals (raw strings included) and
// preprocessor lines are dropped first, so a brace inside them counts for
// nothing. Then each `{` at namespace or class level is classified by what
// precedes it: a namespace or an extern "C" block (scanned on), a class,
// struct or union body (scanned on, for the methods defined inline), an enum
// body or an initializer (skipped), or a function body (recorded, and its
// inside skipped: a lambda or local class belongs to its function).
const fs = require('node:fs');

const PUNCTUATORS = ['::', '->', '<<=', '>>=', '<=>', '==', '!=', '<=', '>=', '&&', '||', '<<', '>>', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '...'];
const LITERAL_PREFIXES = new Set(['R', 'u8', 'u', 'U', 'L', 'u8R', 'uR', 'UR', 'LR']);

/** The file as tokens { text, line }; every literal becomes the token '"…"'. */
function tokenize(text) {
  const tokens = [];
  let i = 0;
  let line = 1;
  let lineStart = true; // only blanks so far on this line: a '#' here starts a directive
  const n = text.length;
  const advanceTo = (end) => {
    for (let k = i; k < end; k++) if (text[k] === '\n') line += 1;
    i = end;
  };
  const skipQuoted = (quote) => {
    let k = i + 1;
    while (k < n && text[k] !== quote) k += text[k] === '\\' ? 2 : 1;
    advanceTo(Math.min(k + 1, n));
  };
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line += 1;
      i += 1;
      lineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i += 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i += 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      advanceTo(end < 0 ? n : end + 2);
      continue;
    }
    if (c === '#' && lineStart) {
      // A directive runs to the end of its line, and on past each backslash-newline.
      let k = i;
      while (k < n && text[k] !== '\n') k += text[k] === '\\' && text[k + 1] === '\n' ? 2 : 1;
      advanceTo(k);
      continue;
    }
    lineStart = false;
    const startLine = line;
    if (/[A-Za-z_]/.test(c)) {
      let k = i;
      while (k < n && /[A-Za-z0-9_]/.test(text[k])) k += 1;
      const word = text.slice(i, k);
      if (LITERAL_PREFIXES.has(word) && text[k] === '"' && word.endsWith('R')) {
        // R"delim( … )delim": nothing inside is escaped, so only the closing sequence ends it.
        const open = text.indexOf('(', k);
        const close = text.indexOf(`)${text.slice(k + 1, open)}"`, open);
        advanceTo(close < 0 ? n : close + open - k + 1);
        tokens.push({ text: '"…"', line: startLine });
        continue;
      }
      if (LITERAL_PREFIXES.has(word) && (text[k] === '"' || text[k] === "'")) {
        i = k;
        skipQuoted(text[k]);
        tokens.push({ text: '"…"', line: startLine });
        continue;
      }
      tokens.push({ text: word, line: startLine });
      i = k;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      // A number, digit separators (1'000) and exponents (1e-3, 0x1p+4) included.
      let k = i + 1;
      while (k < n && (/[A-Za-z0-9_.']/.test(text[k]) || ((text[k] === '+' || text[k] === '-') && /[eEpP]/.test(text[k - 1])))) k += 1;
      tokens.push({ text: '0', line: startLine });
      i = k;
      continue;
    }
    if (c === '"' || c === "'") {
      skipQuoted(c);
      tokens.push({ text: '"…"', line: startLine });
      continue;
    }
    const punctuator = PUNCTUATORS.find((p) => text.startsWith(p, i)) ?? c;
    tokens.push({ text: punctuator, line: startLine });
    i += punctuator.length;
  }
  return tokens;
}

const OPEN = { '(': ')', '[': ']', '{': '}' };

/** The index just past the bracket group that opens at tokens[i]. */
function skipGroup(tokens, i) {
  const stack = [];
  for (let k = i; k < tokens.length; k++) {
    const t = tokens[k].text;
    if (OPEN[t]) stack.push(OPEN[t]);
    else if (t === ')' || t === ']' || t === '}') {
      stack.pop();
      if (stack.length === 0) return k + 1;
    }
  }
  return tokens.length;
}

const isIdentifier = (t) => /^[A-Za-z_]\w*$/.test(t);
// Words followed by a parenthesised group that is not a parameter list.
const NOT_A_NAME = new Set(['alignas', 'alignof', 'decltype', 'noexcept', 'sizeof', 'throw', 'requires', '__attribute__', '__declspec', 'static_assert', 'if', 'for', 'while', 'switch', 'return']);
const QUALIFIERS = new Set(['const', 'volatile', 'noexcept', 'override', 'final', 'mutable', '&', '&&', 'throw']);

/**
 * The header of a declaration (its tokens since the last ';' or '}' at its
 * level) without what carries no meaning here: template parameter lists,
 * [[attributes]], alignas(…), __attribute__((…)). Brackets stay balanced.
 */
function cleanHeader(header) {
  const out = [];
  for (let k = 0; k < header.length; k++) {
    const t = header[k].text;
    if (t === 'template' && header[k + 1]?.text === '<') {
      let depth = 0;
      for (k += 1; k < header.length; k++) {
        const a = header[k].text;
        if (a === '<') depth += 1;
        else if (a === '>') depth -= 1;
        else if (a === '>>') depth -= 2;
        if (depth <= 0) break;
      }
      continue;
    }
    if (t === '[' && header[k + 1]?.text === '[') {
      k = skipGroup(header, k) - 1;
      continue;
    }
    if ((t === 'alignas' || t === '__attribute__' || t === '__declspec') && header[k + 1]?.text === '(') {
      k = skipGroup(header, k + 1) - 1;
      continue;
    }
    out.push(header[k]);
  }
  return out;
}

/** Indices of the header's top-level tokens (outside any bracket group). */
function topLevel(header) {
  const top = [];
  for (let k = 0; k < header.length; k++) {
    top.push(k);
    if (OPEN[header[k].text]) k = skipGroup(header, k) - 1;
  }
  return top;
}

/** Where a constructor's member initializer list starts (its ':'), or -1. */
function initializerColon(header, top) {
  for (let j = 1; j < top.length; j++) {
    if (header[top[j]].text !== ':') continue;
    let p = j - 1;
    while (p >= 0 && QUALIFIERS.has(header[top[p]].text)) p -= 1;
    if (p >= 0 && header[top[p]].text === '(') return top[j];
  }
  return -1;
}

/**
 * The function's name and the index of its name token, from the last
 * top-level parameter list before any initializer list or trailing return
 * type; null when the header has none.
 */
function functionNameOf(header) {
  const top = topLevel(header);
  const colon = initializerColon(header, top);
  const arrow = top.find((k) => header[k].text === '->') ?? -1;
  const end = Math.min(...[colon, arrow, header.length].filter((k) => k >= 0));
  for (let j = top.length - 1; j >= 0; j--) {
    const p = top[j];
    if (p >= end || header[p].text !== '(' || p === 0) continue;
    // operator==, operator(), operator[], operator new, operator bool …
    for (let back = 1; back <= 3 && p - back >= 0; back++) {
      if (header[p - back].text === 'operator') {
        return {
          name: `operator${header
            .slice(p - back + 1, p)
            .map((t) => t.text)
            .join(isIdentifier(header[p - 1].text) ? ' ' : '')}`,
          at: p - back,
        };
      }
    }
    const prev = header[p - 1].text;
    if (isIdentifier(prev) && !NOT_A_NAME.has(prev)) {
      let at = p - 1;
      const parts = [prev];
      // Qualifiers: Class::name, Class<T>::name, Class::~Class.
      while (at >= 2) {
        if (header[at - 1].text === '~') {
          parts[0] = `~${parts[0]}`;
          at -= 1;
          continue;
        }
        if (header[at - 1].text !== '::') break;
        let q = at - 2;
        if (header[q].text === '>') {
          let depth = 0;
          for (; q >= 0; q--) {
            if (header[q].text === '>') depth += 1;
            else if (header[q].text === '<') depth -= 1;
            if (depth === 0) break;
          }
          q -= 1;
        }
        if (q < 0 || !isIdentifier(header[q].text)) break;
        parts.unshift(header[q].text);
        at = q;
      }
      return { name: parts.join('::'), at: p - 1 };
    }
  }
  return null;
}

function hasTopLevel(header, words) {
  return topLevel(header).some((k) => words.includes(header[k].text));
}

/** [{ name, line, lines }] for each function defined in the file. */
function cppFunctions(file) {
  const tokens = tokenize(fs.readFileSync(file, 'utf8'));
  const found = [];
  // Scans a namespace or class body from tokens[i] to its closing '}'.
  const scan = (i, owner) => {
    let header = [];
    let depth = 0; // open ( and [ in the header: a '{' inside them is an argument
    while (i < tokens.length) {
      const t = tokens[i].text;
      if (t === '}') return i + 1;
      if (t === ';' && depth === 0) {
        header = [];
        i += 1;
        continue;
      }
      if ((t === 'public' || t === 'private' || t === 'protected') && tokens[i + 1]?.text === ':' && depth === 0) {
        header = [];
        i += 2;
        continue;
      }
      if (t === '(' || t === '[') depth += 1;
      if (t === ')' || t === ']') depth -= 1;
      if (t !== '{') {
        header.push(tokens[i]);
        i += 1;
        continue;
      }
      const end = skipGroup(tokens, i);
      const h = cleanHeader(header);
      const words = h.map((x) => x.text);
      const top = topLevel(h);
      const assigned = top.some((k) => h[k].text === '=') && !words.includes('operator');
      const fn = assigned || depth > 0 ? null : functionNameOf(h);
      const last = words[words.length - 1];
      if (depth > 0 || words.length === 0 || assigned) {
        // An argument, or an initializer: the ';' after it ends the declaration.
        header.push(...tokens.slice(i, end));
        i = end;
      } else if (words[0] === 'namespace' || (words[0] === 'extern' && words[1] === '"…"' && words.length === 2)) {
        i = scan(i + 1, words[0] === 'namespace' ? null : owner);
        header = [];
      } else if (hasTopLevel(h, ['enum'])) {
        header = [];
        i = end;
      } else if (hasTopLevel(h, ['class', 'struct', 'union']) && !top.some((k) => h[k].text === '(')) {
        const keyword = top.find((k) => ['class', 'struct', 'union'].includes(h[k].text));
        const next = h[keyword + 1]?.text ?? '';
        const name = isIdentifier(next) && next !== 'final' ? next : '(anonymous)';
        i = scan(i + 1, owner ? `${owner}::${name}` : name);
        header = [];
      } else if (fn && initializerColon(h, top) >= 0 && (isIdentifier(last) || last === '>')) {
        // A member's brace initializer in a constructor's initializer list.
        header.push(...tokens.slice(i, end));
        i = end;
      } else if (fn) {
        const name = owner && !fn.name.includes('::') ? `${owner}::${fn.name}` : fn.name;
        found.push({ name, line: h[fn.at].line, lines: tokens[end - 1].line - tokens[i].line + 1 });
        header = [];
        i = end;
      } else {
        // A brace initializer without '=': int x{3};
        header.push(...tokens.slice(i, end));
        i = end;
      }
      if (header.length === 0) depth = 0;
    }
    return i;
  };
  scan(0, null);
  return found;
}

module.exports = { cppFunctions };
