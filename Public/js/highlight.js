// A small syntax highlighter: one table-driven scanner for the C-like, Python and SQL families, and its own
// scanners for HTML and CSS. It runs over the whole file, so comments and strings may span lines, then cuts
// the tokens into lines. Output is text and a kind only; the DOM helper builds spans with textContent.

const words = (text) => new Set(text.split(/\s+/).filter(Boolean));

const C_KEYWORDS = "auto break case const continue default do else enum extern for goto if inline register restrict return sizeof static struct switch typedef union volatile while NULL true false _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local";
const C_TYPES = "char double float int long short signed unsigned void bool _Bool _Complex size_t ssize_t ptrdiff_t intptr_t uintptr_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t wchar_t FILE";
const JS_KEYWORDS = "break case catch class const continue debugger default delete do else export extends finally for function if import in instanceof let new of return static super switch this throw try typeof var void while with yield async await true false null undefined NaN Infinity";

// Opening patterns of literals. `make(match)` tells how the literal goes on: its closing text, escapes
// (backslash), doubled closers ('' in SQL), whether it may span lines, and interpolation.
const lit = (starts, open, options = {}) => ({ starts, open, make: typeof options === "function" ? options : () => options });
const DQ = lit('"', /"/y, { close: '"', esc: true });
const SQ = lit("'", /'/y, { close: "'", esc: true });
const C_STRINGS = [lit('uUL"', /(?:u8|[uUL])?"/y, { close: '"', esc: true }), lit("uUL'", /(?:u8|[uUL])?'/y, { close: "'", esc: true })];
const PY_PREFIX = "(?:[rRbBuU]|[fF][rR]?|[rR][fFbB]|[bB][rR])?";
const pyString = (m) => ({ close: m[1], esc: true, multi: m[1].length === 3, interp: /f/i.test(m[0]) ? "{" : null });

const FAMILY = {
  python: {
    keywords: words("False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case self cls"),
    types: words("int float str bool bytes list dict set tuple object frozenset complex bytearray type"),
    line: ["#"], block: [], atKind: "function",
    strings: [lit("rRbBuUfF\"'", new RegExp(PY_PREFIX + "(\"\"\"|''')", "y"), pyString), lit("rRbBuUfF\"'", new RegExp(PY_PREFIX + "([\"'])", "y"), pyString)],
  },
  javascript: {
    keywords: words(JS_KEYWORDS), types: new Set(), regex: true,
    strings: [DQ, SQ, lit("`", /`/y, { close: "`", esc: true, multi: true, interp: "${" })],
  },
  typescript: {
    keywords: words(JS_KEYWORDS + " abstract as asserts declare enum implements infer interface is keyof module namespace private protected public readonly type unique override satisfies"),
    types: words("any bigint boolean never number object string symbol unknown"), regex: true,
    strings: [DQ, SQ, lit("`", /`/y, { close: "`", esc: true, multi: true, interp: "${" })],
  },
  swift: {
    keywords: words("associatedtype class deinit enum extension fileprivate func import init inout internal let open operator private precedencegroup protocol public rethrows static struct subscript typealias var break case catch continue default defer do else fallthrough for guard if in repeat return throw throws switch where while as is nil super self true false try async await actor some any mutating nonmutating override final lazy weak unowned convenience required dynamic optional get set willSet didSet indirect consuming borrowing"),
    types: new Set(), nested: true, hashIdent: true, capTypes: true,
    strings: [
      lit("#", /(#+)("""|")/y, (m) => ({ close: m[2] + m[1], multi: m[2].length === 3 })),
      lit('"', /"""/y, { close: '"""', esc: true, multi: true, interp: "\\(" }),
      lit('"', /"/y, { close: '"', esc: true, interp: "\\(" }),
      lit("`", /`[^`\n]*`/y, { whole: true, kind: "plain" }),
    ],
  },
  c: { keywords: words(C_KEYWORDS), types: words(C_TYPES), preproc: true, strings: C_STRINGS },
  cpp: {
    keywords: words(C_KEYWORDS + " alignas alignof and and_eq asm bitand bitor catch class compl concept consteval constexpr constinit const_cast co_await co_return co_yield decltype delete dynamic_cast explicit export friend mutable namespace new noexcept not not_eq nullptr operator or or_eq private protected public reinterpret_cast requires static_assert static_cast template this thread_local throw try typeid typename using virtual xor xor_eq override final"),
    types: words(C_TYPES + " char8_t char16_t char32_t string wstring string_view"), preproc: true, capTypes: true, digitQuote: true,
    strings: [lit("uULR", /(?:u8|[uUL])?R"([^()\\\s]{0,16})\(/y, (m) => ({ close: `)${m[1]}"`, multi: true })), ...C_STRINGS],
  },
  csharp: {
    keywords: words("abstract as base break case catch checked class const continue default delegate do else enum event explicit extern finally fixed for foreach goto if implicit in interface internal is lock namespace new null operator out override params private protected public readonly ref return sealed sizeof stackalloc static struct switch this throw try typeof unchecked unsafe using virtual volatile while true false var async await yield get set init record where when with nameof global partial required"),
    types: words("bool byte char decimal double float int long object sbyte short string uint ulong ushort void nint nuint dynamic"),
    preproc: true, capTypes: true, atKind: "plain",
    strings: [
      lit('$"', /\$*("{3,})/y, (m) => ({ close: m[1], multi: true })),
      lit("$@", /(?:\$@|@\$)"/y, { close: '"', dbl: true, multi: true, interp: "{" }),
      lit("@", /@"/y, { close: '"', dbl: true, multi: true }),
      lit("$", /\$"/y, { close: '"', esc: true, interp: "{" }),
      DQ, SQ,
    ],
  },
  java: {
    keywords: words("abstract assert break case catch class const continue default do else enum extends final finally for goto if implements import instanceof interface native new package private protected public return static strictfp super switch synchronized this throw throws transient try volatile while var record sealed permits yield true false null"),
    types: words("boolean byte char double float int long short void"), capTypes: true,
    strings: [lit('"', /"""/y, { close: '"""', esc: true, multi: true }), DQ, SQ],
  },
  kotlin: {
    keywords: words("as break class continue do else false for fun if in interface is null object package return super this throw true try typealias typeof val var when while by catch constructor delegate dynamic field file finally get import init param property receiver set setparam where actual abstract annotation companion const crossinline data enum expect external final infix inline inner internal lateinit noinline open operator out override private protected public reified sealed suspend tailrec vararg value"),
    types: new Set(), nested: true, capTypes: true,
    strings: [
      lit('"', /"""/y, { close: '"""', multi: true, interp: "$" }),
      lit('"', /"/y, { close: '"', esc: true, interp: "$" }),
      SQ,
      lit("`", /`[^`\n]*`/y, { whole: true, kind: "plain" }),
    ],
  },
  go: {
    keywords: words("break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var true false nil iota"),
    types: words("bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any comparable"),
    capTypes: true,
    strings: [DQ, SQ, lit("`", /`/y, { close: "`", multi: true })],
  },
  rust: {
    keywords: words("as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while union macro_rules"),
    types: words("bool char f32 f64 i8 i16 i32 i64 i128 isize str u8 u16 u32 u64 u128 usize"),
    nested: true, capTypes: true, macros: true,
    strings: [
      lit("br", /b?r(#*)"/y, (m) => ({ close: '"' + m[1], multi: true })),
      lit('b"', /b?"/y, { close: '"', esc: true, multi: true }),
      lit("b'", /b?'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.)|[^\\'\n])'/uy, { whole: true }),
      lit("'", /'[\p{L}_][\p{L}\p{N}_]*/uy, { whole: true, kind: "keyword" }),
    ],
  },
  sql: {
    keywords: words("select from where and or not insert into values update set delete create table drop alter add column index view join inner left right full outer cross on as group by order having limit offset union all distinct case when then else end null is in exists between like ilike primary key foreign references unique default check constraint if begin commit rollback transaction with recursive returning asc desc true false cascade grant revoke trigger function procedure return returns language declare replace temp temporary database schema using natural over partition window fetch next rows only top merge matched conflict do nothing truncate explain analyze vacuum except intersect lateral collate escape any some"),
    types: words("int integer bigint smallint tinyint serial bigserial decimal numeric real float double precision varchar char character text boolean bool date time timestamp timestamptz interval uuid json jsonb blob bytea money"),
    caseInsensitive: true, line: ["--"],
    strings: [
      lit("'", /'/y, { close: "'", dbl: true, multi: true }),
      lit('"', /"/y, { close: '"', dbl: true, multi: true, kind: "plain" }),
      lit("`", /`/y, { close: "`", dbl: true, kind: "plain" }),
      lit("$", /\$(?:[A-Za-z_]\w*)?\$/y, (m) => ({ close: m[0], multi: true })),
    ],
  },
};

const ALIASES = {
  py: "python", python3: "python", py3: "python", js: "javascript", jsx: "javascript", mjs: "javascript", cjs: "javascript",
  node: "javascript", ts: "typescript", tsx: "typescript", htm: "html", xhtml: "html", xml: "html", svg: "html",
  h: "c", "c++": "cpp", cc: "cpp", cxx: "cpp", hpp: "cpp", hh: "cpp", hxx: "cpp", cs: "csharp", "c#": "csharp",
  kt: "kotlin", kts: "kotlin", golang: "go", rs: "rust", postgresql: "sql", postgres: "sql", mysql: "sql", sqlite: "sql",
  psql: "sql", css: "css", html: "html",
};
const EXTENSIONS = { py: "python", js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "javascript", ts: "typescript",
  tsx: "typescript", html: "html", htm: "html", xml: "html", svg: "html", css: "css", swift: "swift", c: "c", h: "c", cpp: "cpp", cc: "cpp",
  cxx: "cpp", hpp: "cpp", hh: "cpp", cs: "csharp", java: "java", kt: "kotlin", kts: "kotlin", go: "go", rs: "rust", sql: "sql" };

/** The languages highlighted, by their canonical names. */
export const LANGUAGES = [...Object.keys(FAMILY), "html", "css"];

/** The canonical name of a language (case-insensitive, aliases such as "py", "c++", "golang"); "" if unknown. */
export function normalizeLanguage(name) {
  if (typeof name !== "string") return "";
  const key = name.trim().toLowerCase();
  if (FAMILY[key]) return key;
  return ALIASES[key] ?? "";
}

/** A language guessed from a file path's extension; "" if none. */
export function languageFromPath(path) {
  const match = /\.([A-Za-z0-9+]+)$/.exec(path ?? "");
  return match ? EXTENSIONS[match[1].toLowerCase()] ?? "" : "";
}

/** The lines of a text as the server counts them: "\n" ends a line (a CR before it is dropped), a final newline
 * does not start another line, and an empty text has none. */
export function splitLines(code) {
  const text = String(code ?? "");
  if (!text) return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

// Token output: parallel arrays, with neighbours of the same kind merged.
class Tokens {
  constructor() { this.kinds = []; this.texts = []; this.last = null; }
  push(kind, text) {
    if (!text) return;
    const n = this.kinds.length;
    if (n && this.kinds[n - 1] === kind) this.texts[n - 1] += text;
    else { this.kinds.push(kind); this.texts.push(text); }
    if (kind !== "plain" && kind !== "comment") this.last = { kind, text };
    else if (kind === "plain" && /\S/.test(text)) this.last = { kind, text };
  }
}

const IDENT = /[\p{L}_$][\p{L}\p{N}_$]*/uy;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.(?![.\p{L}_])[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)[A-Za-z0-9_]*/uy;
const NUMBER_QUOTE = /(?:0[xX][0-9a-fA-F_']+|0[bB][01_']+|(?:\d[\d_']*(?:\.(?![.\p{L}_])[\d_']*)?|\.\d[\d_']*)(?:[eE][+-]?\d[\d_']*)?)[A-Za-z0-9_]*/uy;
const REGEX = /\/(?![*/])(?:\\.|\[(?:\\.|[^\]\\\n]){0,500}\]|[^/\\\n[]){1,1000}\/[a-z]*/y;
const CAP_TYPE = /^[A-Z](?:[\w$]*[a-z][\w$]*)?$/;
const OPERATOR_CHARS = "+-*/%=&|^!<>~?:@#\\";
const PUNCTUATION_CHARS = "()[]{};,.";
const DEFINERS = words("def function fn func fun");
const TYPE_DEFINERS = words("class struct enum interface trait protocol type extension record actor union impl namespace");
const NOT_BEFORE_REGEX = words("this super true false null undefined");

const isSpace = (c) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
const isDigit = (c) => c >= 48 && c <= 57;
const isIdentStart = (c) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || (c > 127 && /[\p{L}]/u.test(String.fromCharCode(c)));

function prepare(family) {
  if (family.ready) return family;
  family.line ??= ["//"];
  family.block ??= [["/*", "*/"]];
  family.strings ??= [];
  family.byFirst = new Map();
  for (const rule of family.strings) {
    for (const ch of rule.starts) {
      const code = ch.charCodeAt(0);
      if (!family.byFirst.has(code)) family.byFirst.set(code, []);
      family.byFirst.get(code).push(rule);
    }
  }
  family.ready = true;
  return family;
}

/** Scans code from `i`; with `stop` (")" or "}") returns at the unbalanced closer (for interpolations). */
function scanCode(L, src, i, stop, out) {
  const n = src.length;
  const stopCode = stop ? stop.charCodeAt(0) : -1;
  const openCode = stop === ")" ? 40 : 123;
  let depth = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (isSpace(c)) {
      let j = i + 1;
      while (j < n && isSpace(src.charCodeAt(j))) j++;
      out.push("plain", src.slice(i, j));
      i = j;
      continue;
    }
    if (c === stopCode && depth === 0) return i;
    // Comments.
    let matched = false;
    for (const marker of L.line) {
      if (src.startsWith(marker, i)) {
        let j = src.indexOf("\n", i);
        if (j < 0) j = n;
        out.push("comment", src.slice(i, j));
        i = j;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    for (const [open, close] of L.block) {
      if (src.startsWith(open, i)) {
        i = scanBlockComment(src, i, open, close, L.nested, out);
        matched = true;
        break;
      }
    }
    if (matched) continue;
    // Preprocessor directives (C family) at the start of a line.
    if (c === 35 && L.preproc && atLineStart(src, i)) {
      const m = /#[ \t]*[A-Za-z_]\w*/y;
      m.lastIndex = i;
      const found = m.exec(src);
      if (found) {
        out.push("keyword", found[0]);
        i += found[0].length;
        if (/(include|import)$/.test(found[0])) {
          const header = /[ \t]*<[^>\n]*>/y;
          header.lastIndex = i;
          const h = header.exec(src);
          if (h) { out.push("string", h[0]); i += h[0].length; }
        }
        continue;
      }
    }
    // String-like literals.
    const rules = L.byFirst.get(c);
    if (rules) {
      let done = false;
      for (const rule of rules) {
        rule.open.lastIndex = i;
        const m = rule.open.exec(src);
        if (!m) continue;
        const spec = rule.make(m);
        if (spec.whole) {
          out.push(spec.kind ?? "string", m[0]);
          i += m[0].length;
        } else {
          i = scanString(L, src, i, m[0].length, spec, out);
        }
        done = true;
        break;
      }
      if (done) continue;
    }
    // Numbers.
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      const re = L.digitQuote ? NUMBER_QUOTE : NUMBER;
      re.lastIndex = i;
      const m = re.exec(src);
      if (m) {
        out.push("number", m[0]);
        i += m[0].length;
        continue;
      }
    }
    // Identifiers, keywords, types and function names.
    if (isIdentStart(c)) {
      IDENT.lastIndex = i;
      const word = IDENT.exec(src)[0];
      out.push(classify(L, word, src, i + word.length, out.last), word);
      i += word.length;
      continue;
    }
    // Decorators and annotations; Swift's #if and #selector.
    if ((c === 64 || (c === 35 && L.hashIdent)) && isIdentStart(src.charCodeAt(i + 1))) {
      IDENT.lastIndex = i + 1;
      const word = IDENT.exec(src)[0];
      out.push(c === 64 ? L.atKind ?? "keyword" : "keyword", src[i] + word);
      i += word.length + 1;
      continue;
    }
    // Regular expression literals, where an operand may stand (JavaScript, TypeScript).
    if (c === 47 && L.regex && regexAllowed(out.last)) {
      REGEX.lastIndex = i;
      const m = REGEX.exec(src);
      if (m) {
        out.push("string", m[0]);
        i += m[0].length;
        continue;
      }
    }
    const ch = src[i];
    if (PUNCTUATION_CHARS.includes(ch)) {
      if (c === openCode) depth++;
      else if (c === stopCode) depth--;
      out.push("punctuation", ch);
      i++;
      continue;
    }
    if (OPERATOR_CHARS.includes(ch)) {
      let j = i + 1;
      while (j < n && OPERATOR_CHARS.includes(src[j]) && !startsComment(L, src, j)) j++;
      out.push("operator", src.slice(i, j));
      i = j;
      continue;
    }
    out.push("plain", ch);
    i++;
  }
  return i;
}

function startsComment(L, src, i) {
  return L.line.some((marker) => src.startsWith(marker, i)) || L.block.some(([open]) => src.startsWith(open, i));
}

function atLineStart(src, i) {
  for (let j = i - 1; j >= 0; j--) {
    const c = src.charCodeAt(j);
    if (c === 10) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function scanBlockComment(src, i, open, close, nested, out) {
  let depth = 1;
  let j = i + open.length;
  while (j < src.length) {
    if (src.startsWith(close, j)) {
      j += close.length;
      if (--depth === 0) break;
    } else if (nested && src.startsWith(open, j)) {
      j += open.length;
      depth++;
    } else {
      j++;
    }
  }
  out.push("comment", src.slice(i, Math.min(j, src.length)));
  return Math.min(j, src.length);
}

let nesting = 0; // interpolations within interpolations; past a limit, strings are read without them

/** Scans a literal whose opener (openLength characters at i) matched; returns the index after it. */
function scanString(L, src, i, openLength, spec, out) {
  const kind = spec.kind ?? "string";
  const { close, esc, dbl, multi } = spec;
  const interp = nesting < 32 ? spec.interp : null;
  const closeCode = close.charCodeAt(0);
  const n = src.length;
  let start = i;
  let j = i + openLength;
  while (j < n) {
    const c = src.charCodeAt(j);
    if (esc && c === 92) {
      if (interp === "\\(" && src.charCodeAt(j + 1) === 40) {
        out.push(kind, src.slice(start, j));
        out.push("punctuation", "\\(");
        nesting++;
        j = scanCode(L, src, j + 2, ")", out);
        nesting--;
        if (j < n) { out.push("punctuation", ")"); j++; }
        start = j;
        continue;
      }
      j += 2;
      continue;
    }
    if (c === 10 && !multi) break;
    if (c === closeCode && src.startsWith(close, j)) {
      if (dbl && src.startsWith(close, j + close.length)) { j += 2 * close.length; continue; }
      j += close.length;
      out.push(kind, src.slice(start, j));
      return j;
    }
    if (interp && (c === 36 || c === 123)) {
      const next = src.charCodeAt(j + 1);
      let inner = 0;
      if (interp === "{" && c === 123) {
        if (next === 123) { j += 2; continue; }
        inner = 1;
      } else if ((interp === "${" || interp === "$") && c === 36 && next === 123) {
        inner = 2;
      } else if (interp === "$" && c === 36 && isIdentStart(next)) {
        IDENT.lastIndex = j + 1;
        const word = IDENT.exec(src)[0];
        out.push(kind, src.slice(start, j));
        out.push("punctuation", "$");
        out.push("plain", word);
        j += 1 + word.length;
        start = j;
        continue;
      }
      if (inner) {
        out.push(kind, src.slice(start, j));
        out.push("punctuation", src.slice(j, j + inner));
        nesting++;
        j = scanCode(L, src, j + inner, "}", out);
        nesting--;
        if (j < n) { out.push("punctuation", "}"); j++; }
        start = j;
        continue;
      }
    }
    j++;
  }
  out.push(kind, src.slice(start, j));
  return j;
}

function classify(L, word, src, end, previous) {
  const key = L.caseInsensitive ? word.toLowerCase() : word;
  const member = previous && previous.text === ".";
  if (!member && L.keywords.has(key)) return "keyword";
  if (L.types.has(key)) return "type";
  if (previous && previous.kind === "keyword" && !L.caseInsensitive) {
    if (DEFINERS.has(previous.text)) return "function";
    if (TYPE_DEFINERS.has(previous.text)) return "type";
  }
  let j = end;
  while (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9) j++;
  const next = src.charCodeAt(j);
  if (next === 40) return "function";
  if (L.macros && next === 33 && src.charCodeAt(j + 1) !== 61) return "function";
  if (L.capTypes && CAP_TYPE.test(word)) return "type";
  return "plain";
}

function regexAllowed(previous) {
  if (!previous) return true;
  if (previous.kind === "keyword") return !NOT_BEFORE_REGEX.has(previous.text);
  if (previous.kind === "operator") return true;
  if (previous.kind === "punctuation") return !/[)\]}]$/.test(previous.text);
  return false;
}

// HTML: tags, attributes, comments and entities; <script> and <style> bodies as JavaScript and CSS.
function scanHtml(src, out) {
  const n = src.length;
  let lower = null;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 60) {
      if (src.startsWith("<!--", i)) { i = scanUntil(src, i, "-->", "comment", out); continue; }
      if (src.startsWith("<![CDATA[", i)) { i = scanUntil(src, i, "]]>", "string", out); continue; }
      if (src.startsWith("<!", i)) { i = scanUntil(src, i, ">", "keyword", out); continue; }
      if (src.startsWith("<?", i)) { i = scanUntil(src, i, "?>", "comment", out); continue; }
      const tag = /<(\/?)([A-Za-z][\w:.-]*)/y;
      tag.lastIndex = i;
      const m = tag.exec(src);
      if (m) {
        out.push("punctuation", "<" + m[1]);
        out.push("keyword", m[2]);
        i = scanAttributes(src, i + m[0].length, out);
        const name = m[2].toLowerCase();
        if (!m[1] && (name === "script" || name === "style") && src[i - 2] !== "/") {
          lower ??= src.toLowerCase();
          let end = lower.indexOf("</" + name, i);
          if (end < 0) end = n;
          const body = src.slice(i, end);
          if (name === "script") scanCode(prepare(FAMILY.javascript), body, 0, null, out);
          else scanCss(body, out);
          i = end;
        }
        continue;
      }
    }
    if (c === 38) {
      const entity = /&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);/y;
      entity.lastIndex = i;
      const m = entity.exec(src);
      if (m) { out.push("number", m[0]); i += m[0].length; continue; }
    }
    let j = i + 1;
    while (j < n && src.charCodeAt(j) !== 60 && src.charCodeAt(j) !== 38) j++;
    out.push("plain", src.slice(i, j));
    i = j;
  }
}

function scanUntil(src, i, close, kind, out) {
  const end = src.indexOf(close, i + 2);
  const j = end < 0 ? src.length : end + close.length;
  out.push(kind, src.slice(i, j));
  return j;
}

function scanAttributes(src, i, out) {
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === ">") { out.push("punctuation", ">"); return i + 1; }
    if (c === "/" && src[i + 1] === ">") { out.push("punctuation", "/>"); return i + 2; }
    if (c === "<") return i; // an unclosed tag: leave the next one to the caller
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < n && /\s/.test(src[j])) j++;
      out.push("plain", src.slice(i, j));
      i = j;
      continue;
    }
    if (c === "=") {
      out.push("operator", "=");
      i++;
      let j = i;
      while (j < n && (src[j] === " " || src[j] === "\t")) j++;
      out.push("plain", src.slice(i, j));
      i = j;
      if (src[i] === '"' || src[i] === "'") {
        const end = src.indexOf(src[i], i + 1);
        const stop = end < 0 ? n : end + 1;
        out.push("string", src.slice(i, stop));
        i = stop;
      } else {
        const value = /[^\s>]+/y;
        value.lastIndex = i;
        const m = value.exec(src);
        if (m) { out.push("string", m[0]); i += m[0].length; }
      }
      continue;
    }
    const name = /[^\s"'>/=<]+/y;
    name.lastIndex = i;
    const m = name.exec(src);
    if (m) { out.push("type", m[0]); i += m[0].length; continue; }
    out.push("plain", c);
    i++;
  }
  return i;
}

// CSS: selectors, at-rules, properties and values, with nested rules.
const CSS_RULE_LISTS = words("@media @supports @container @layer @document @scope @starting-style");
function scanCss(src, out) {
  const n = src.length;
  const stack = []; // what each open brace holds: "rules" or "block"
  let mode = "selector"; // selector, atrule, property, value
  let atRule = "";
  let decidedUntil = -1; // in a block, whether the text up to here is a nested rule's selector
  let nestedRule = false;
  let i = 0;
  while (i < n) {
    const c = src[i];
    const code = src.charCodeAt(i);
    if (isSpace(code)) {
      let j = i + 1;
      while (j < n && isSpace(src.charCodeAt(j))) j++;
      out.push("plain", src.slice(i, j));
      i = j;
      continue;
    }
    if (src.startsWith("/*", i)) { i = scanBlockComment(src, i, "/*", "*/", false, out); continue; }
    if (c === '"' || c === "'") { i = scanString(null, src, i, 1, { close: c, esc: true }, out); continue; }
    if (c === "{") {
      stack.push(mode === "atrule" && CSS_RULE_LISTS.has(atRule) ? "rules" : "block");
      mode = stack[stack.length - 1] === "rules" ? "selector" : "property";
      out.push("punctuation", c);
      i++;
      continue;
    }
    if (c === "}") {
      stack.pop();
      mode = stack[stack.length - 1] === "block" ? "property" : "selector";
      out.push("punctuation", c);
      i++;
      continue;
    }
    if (c === ";") {
      mode = stack[stack.length - 1] === "block" ? "property" : "selector";
      out.push("punctuation", c);
      i++;
      continue;
    }
    if (c === "@") {
      const m = /@[\w-]+/y;
      m.lastIndex = i;
      const found = m.exec(src);
      if (found) {
        atRule = found[0].toLowerCase();
        mode = "atrule";
        out.push("keyword", found[0]);
        i += found[0].length;
        continue;
      }
    }
    if (mode === "property") {
      // In a block: a declaration, or a nested rule when a "{" comes before the next ";" or "}".
      if (i >= decidedUntil) {
        const rest = /[^{;}]*/y;
        rest.lastIndex = i;
        decidedUntil = i + rest.exec(src)[0].length;
        nestedRule = src[decidedUntil] === "{";
      }
      if (nestedRule) mode = "selector";
    }
    if (mode === "property") {
      const m = /-{0,2}[A-Za-z_][\w-]*/y;
      m.lastIndex = i;
      const found = m.exec(src);
      if (found) { out.push("type", found[0]); i += found[0].length; continue; }
      if (c === ":") { out.push("punctuation", c); mode = "value"; i++; continue; }
      out.push("plain", c);
      i++;
      continue;
    }
    if (mode === "value" || mode === "atrule") {
      i = scanCssValue(src, i, mode, out);
      continue;
    }
    // Selectors.
    const selector = /(?:[.#][\w-]+)|(?:::?[\w-]+)|(?:[A-Za-z][\w-]*)|(?:-?\d+(?:\.\d+)?%?)/y;
    selector.lastIndex = i;
    const m = selector.exec(src);
    if (m) {
      const text = m[0];
      const kind = text[0] === "." || text[0] === "#" ? "type" : text[0] === ":" ? "function" : /^[-\d]/.test(text) ? "number" : "keyword";
      out.push(kind, text);
      i += text.length;
      continue;
    }
    out.push(",()[]".includes(c) ? "punctuation" : "operator", c);
    i++;
  }
}

function scanCssValue(src, i, mode, out) {
  const c = src[i];
  const number = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?:[A-Za-z%]+)?/y;
  number.lastIndex = i;
  let m = (/[\d.+-]/.test(c) && number.exec(src)) || null;
  if (m && /\d/.test(m[0])) { out.push("number", m[0]); return i + m[0].length; }
  if (c === "#") {
    const color = /#[0-9a-fA-F]{3,8}\b/y;
    color.lastIndex = i;
    m = color.exec(src);
    if (m) { out.push("number", m[0]); return i + m[0].length; }
  }
  if (c === "!") {
    const important = /!\s*important/iy;
    important.lastIndex = i;
    m = important.exec(src);
    if (m) { out.push("keyword", m[0]); return i + m[0].length; }
  }
  const ident = /-{0,2}[A-Za-z_][\w-]*/y;
  ident.lastIndex = i;
  m = ident.exec(src);
  if (m) {
    const end = i + m[0].length;
    if (src[end] === "(") {
      out.push("function", m[0]);
      if (m[0].toLowerCase() === "url" && !/["']/.test(src[end + 1] ?? "")) {
        const close = src.indexOf(")", end);
        const stop = close < 0 ? src.length : close;
        out.push("punctuation", "(");
        out.push("string", src.slice(end + 1, stop));
        return stop;
      }
      return end;
    }
    if (mode === "atrule" && /^(and|not|only|or)$/i.test(m[0])) { out.push("keyword", m[0]); return end; }
    if (mode === "atrule" && src[end] === ":") { out.push("type", m[0]); return end; }
    out.push("plain", m[0]);
    return end;
  }
  out.push(",()[]:".includes(c) ? "punctuation" : "operator", c);
  return i + 1;
}

/**
 * Highlights code: per line (as splitLines cuts them), a list of tokens {text, kind}, kind among keyword,
 * string, comment, number, type, function, operator, punctuation and plain. Unknown languages are plain.
 */
export function highlight(code, language) {
  const src = String(code ?? "").replace(/\r\n/g, "\n");
  const name = normalizeLanguage(language);
  const out = new Tokens();
  if (name === "html") scanHtml(src, out);
  else if (name === "css") scanCss(src, out);
  else if (name) scanCode(prepare(FAMILY[name]), src, 0, null, out);
  else out.push("plain", src);
  const lines = [[]];
  const { kinds, texts } = out;
  for (let t = 0; t < kinds.length; t++) {
    const text = texts[t];
    if (text.indexOf("\n") < 0) {
      lines[lines.length - 1].push({ text, kind: kinds[t] });
      continue;
    }
    const parts = text.split("\n");
    for (let p = 0; p < parts.length; p++) {
      if (p > 0) lines.push([]);
      if (parts[p]) lines[lines.length - 1].push({ text: parts[p], kind: kinds[t] });
    }
  }
  if (src.endsWith("\n") || !src) lines.pop();
  return lines;
}

/** A line's tokens as DOM: plain text as text nodes, other kinds as span.tok-<kind> (textContent only). */
export function tokensToFragment(tokens) {
  const fragment = document.createDocumentFragment();
  for (const { text, kind } of tokens) {
    if (kind === "plain") {
      fragment.append(text);
    } else {
      const span = document.createElement("span");
      span.className = `tok-${kind}`;
      span.textContent = text;
      fragment.append(span);
    }
  }
  return fragment;
}

/** Highlighted code as a DocumentFragment, lines joined by newlines (for a <pre>). */
export function highlightToFragment(code, language) {
  const fragment = document.createDocumentFragment();
  highlight(code, language).forEach((tokens, index) => {
    if (index) fragment.append("\n");
    fragment.append(tokensToFragment(tokens));
  });
  return fragment;
}
