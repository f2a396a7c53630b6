// The shell's parser: a POSIX sh subset (the token and grammar rules of busybox ash / dash, minus
// compound commands). Words with '…' "…" and \ quoting, $NAME ${NAME} $? $$ $# $0-$9 and ~
// (expanded later, when the command runs, so `$?` sees the previous command), `;` `&&` `||` `|` `!`,
// newlines, `#` comments, and redirections [n]> [n]>> [n]< [n]<> [n]>| [n]>&m [n]<&m [n]>&-.
// Not supported, and rejected with a syntax error rather than misread: `&` (background jobs),
// `( … )`, `$( … )` and backquotes, if/while/for/case.

/** A piece of a word: literal text, or a parameter to expand. `quoted` parts are not field-split. */
export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'param'; name: string; quoted: boolean }
  | { kind: 'tilde' };

export interface Word {
  parts: WordPart[];
}

export type RedirectOp = '>' | '>>' | '<' | '<>' | '>&' | '<&';

export interface Redirect {
  /** The file descriptor redirected (default 1 for > >> >&, 0 for < <> <&). */
  fd: number;
  op: RedirectOp;
  /** A file name; for >& and <&, a descriptor number or "-" (close). */
  target: Word;
}

export interface Assignment {
  name: string;
  value: Word;
}

export interface SimpleCommand {
  assignments: Assignment[];
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  negated: boolean;
  commands: SimpleCommand[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

/** A complete command list, run in order. */
export type Script = AndOr[];

export type ParseResult =
  | { ok: true; script: Script }
  /** `incomplete`: the input ends inside a quote, after `|`, `&&`, `||` or a trailing `\` — more lines may complete it. */
  | { ok: false; incomplete: boolean; message: string };

type Token =
  | { t: 'word'; word: Word; raw: string; literal: boolean; ioNumber: boolean }
  | { t: 'op'; op: string }
  | { t: 'newline' }
  | { t: 'eof' };

class ParseError extends Error {
  constructor(
    message: string,
    readonly incomplete: boolean,
  ) {
    super(message);
  }
}

const OPERATORS = ['&&', '||', ';;', '>>', '>&', '<&', '<>', '>|', '<<', '|', ';', '&', '<', '>', '(', ')'];
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAMS = '?$#!@*-0123456789';
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', '{', '}', 'function', 'select']);

/** Splits source text into tokens; quote and escape rules as POSIX 2.2–2.3. */
function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2; // line continuation between words
      continue;
    }
    if (c === '\n') {
      tokens.push({ t: 'newline' });
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ t: 'op', op });
      i += op.length;
      continue;
    }
    i = readWord(src, i, tokens);
  }
  tokens.push({ t: 'eof' });
  return tokens;
}

/** Reads one word starting at `start`, pushes it, returns the index after it. */
function readWord(src: string, start: number, tokens: Token[]): number {
  const parts: WordPart[] = [];
  let literal = true; // no quoting or expansion anywhere: needed to recognise NAME= and IO numbers
  let i = start;
  const text = (s: string, quoted: boolean): void => {
    const last = parts[parts.length - 1];
    if (last && last.kind === 'text' && last.quoted === quoted) last.text += s;
    else parts.push({ kind: 'text', text: s, quoted });
  };

  if (src[i] === '~' && (i + 1 === src.length || /[\s/;&|<>()]/.test(src[i + 1]))) {
    parts.push({ kind: 'tilde' });
    literal = false;
    i++;
  }

  while (i < src.length) {
    const c = src[i];
    if (/[\s;&|<>()]/.test(c)) break;
    if (c === '\\') {
      if (i + 1 >= src.length) throw new ParseError('syntax error: unexpected end of file', true);
      if (src[i + 1] === '\n') {
        i += 2;
        continue;
      }
      text(src[i + 1], true);
      literal = false;
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ParseError('syntax error: unterminated quoted string', true);
      text(src.slice(i + 1, end), true);
      literal = false;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i = readDoubleQuoted(src, i + 1, parts, text);
      literal = false;
      continue;
    }
    if (c === '$') {
      const next = readParam(src, i, false, parts);
      if (next !== i) {
        literal = false;
        i = next;
        continue;
      }
      text('$', false);
      i++;
      continue;
    }
    if (c === '`') throw new ParseError('syntax error: command substitution (`…`) is not supported', false);
    text(c, false);
    i++;
  }
  const raw = src.slice(start, i);
  const ioNumber = literal && /^[0-9]+$/.test(raw) && (src[i] === '<' || src[i] === '>');
  tokens.push({ t: 'word', word: { parts }, raw, literal, ioNumber });
  return i;
}

/** Inside "…": \ escapes only $ ` " \ and newline; $ expands; returns the index after the closing quote. */
function readDoubleQuoted(src: string, start: number, parts: WordPart[], text: (s: string, quoted: boolean) => void): number {
  let i = start;
  // An empty "" still makes a (quoted, empty) word part, so that `echo ""` has an argument.
  text('', true);
  while (i < src.length) {
    const c = src[i];
    if (c === '"') return i + 1;
    if (c === '\\' && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1])) {
      if (src[i + 1] !== '\n') text(src[i + 1], true);
      i += 2;
      continue;
    }
    if (c === '$') {
      const next = readParam(src, i, true, parts);
      if (next !== i) {
        i = next;
        continue;
      }
    }
    if (c === '`') throw new ParseError('syntax error: command substitution (`…`) is not supported', false);
    text(c, true);
    i++;
  }
  throw new ParseError('syntax error: unterminated quoted string', true);
}

/** At a '$': pushes a param part and returns the index after it, or returns `i` when the $ is literal. */
function readParam(src: string, i: number, quoted: boolean, parts: WordPart[]): number {
  const c = src[i + 1];
  if (c === undefined) return i;
  if (c === '(') throw new ParseError('syntax error: command substitution $( … ) is not supported', false);
  if (c === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) throw new ParseError('syntax error: missing }', true);
    const name = src.slice(i + 2, end);
    if (!/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*-])$/.test(name)) throw new ParseError(`syntax error: bad substitution`, false);
    parts.push({ kind: 'param', name, quoted });
    return end + 1;
  }
  if (SPECIAL_PARAMS.includes(c)) {
    parts.push({ kind: 'param', name: c, quoted });
    return i + 2;
  }
  if (NAME_START.test(c)) {
    let j = i + 1;
    while (j < src.length && NAME_CHAR.test(src[j])) j++;
    parts.push({ kind: 'param', name: src.slice(i + 1, j), quoted });
    return j;
  }
  return i;
}

function describe(tok: Token): string {
  if (tok.t === 'newline') return 'newline';
  if (tok.t === 'eof') return 'end of file';
  if (tok.t === 'op') return `"${tok.op}"`;
  return `"${tok.raw}"`;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.op === op;
  }

  private skipNewlines(): void {
    while (this.peek().t === 'newline') this.pos++;
  }

  private unexpected(tok: Token): ParseError {
    if (tok.t === 'eof') return new ParseError('syntax error: unexpected end of file', true);
    return new ParseError(`syntax error: unexpected ${describe(tok)}`, false);
  }

  parseScript(): Script {
    const script: Script = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof') return script;
      if (t.t === 'op' && (t.op === ';' || t.op === ';;')) throw this.unexpected(t);
      script.push(this.parseAndOr());
      const sep = this.peek();
      if (sep.t === 'eof') return script;
      if (sep.t === 'newline') continue;
      if (sep.t === 'op' && sep.op === ';') {
        this.pos++;
        continue;
      }
      if (sep.t === 'op' && sep.op === '&') {
        throw new ParseError('syntax error: background jobs (&) are not supported', false);
      }
      throw this.unexpected(sep);
    }
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && (t.op === '&&' || t.op === '||')) {
        this.pos++;
        this.skipNewlines();
        rest.push({ op: t.op, pipeline: this.parsePipeline() });
        continue;
      }
      return { first, rest };
    }
  }

  private parsePipeline(): Pipeline {
    let negated = false;
    const t = this.peek();
    if (t.t === 'word' && t.literal && t.raw === '!') {
      negated = true;
      this.pos++;
    }
    const commands = [this.parseCommand()];
    while (this.isOp('|')) {
      this.pos++;
      this.skipNewlines();
      commands.push(this.parseCommand());
    }
    return { negated, commands };
  }

  private parseCommand(): SimpleCommand {
    const cmd: SimpleCommand = { assignments: [], words: [], redirects: [] };
    for (;;) {
      const t = this.peek();
      if (t.t === 'word' && t.ioNumber) {
        this.pos++;
        cmd.redirects.push(this.parseRedirect(Number(t.raw)));
        continue;
      }
      if (t.t === 'op' && ['>', '>>', '<', '<>', '>|', '>&', '<&', '<<'].includes(t.op)) {
        cmd.redirects.push(this.parseRedirect(undefined));
        continue;
      }
      if (t.t === 'word') {
        if (cmd.words.length === 0) {
          const eq = t.raw.indexOf('=');
          if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.raw.slice(0, eq))) {
            this.pos++;
            cmd.assignments.push({ name: t.raw.slice(0, eq), value: assignmentValue(t.word, eq) });
            continue;
          }
          if (t.literal && RESERVED.has(t.raw)) {
            throw new ParseError(`syntax error: "${t.raw}": compound commands are not supported by this shell`, false);
          }
        }
        this.pos++;
        cmd.words.push(t.word);
        continue;
      }
      break;
    }
    if (cmd.assignments.length === 0 && cmd.words.length === 0 && cmd.redirects.length === 0) {
      const t = this.peek();
      if (t.t === 'op' && t.op === '(') throw new ParseError('syntax error: subshells ( … ) are not supported', false);
      throw this.unexpected(t);
    }
    return cmd;
  }

  private parseRedirect(ioNumber: number | undefined): Redirect {
    const opTok = this.next();
    if (opTok.t !== 'op') throw this.unexpected(opTok);
    if (opTok.op === '<<') throw new ParseError('syntax error: here-documents (<<) are not supported', false);
    const op: RedirectOp = opTok.op === '>|' ? '>' : (opTok.op as RedirectOp);
    const fd = ioNumber ?? (op.startsWith('<') ? 0 : 1);
    const target = this.peek();
    if (target.t !== 'word') {
      // `echo >` at the end of a line: ash reports the newline, not an incomplete command.
      if (target.t === 'eof') throw new ParseError('syntax error: unexpected newline', false);
      throw this.unexpected(target);
    }
    this.pos++;
    return { fd, op, target: target.word };
  }
}

/** The value part of NAME=value: the word with its first `eq + 1` source characters (all literal) removed. */
function assignmentValue(word: Word, eq: number): Word {
  let skip = eq + 1;
  const parts: WordPart[] = [];
  for (const p of word.parts) {
    if (skip > 0 && p.kind === 'text' && !p.quoted) {
      if (p.text.length <= skip) {
        skip -= p.text.length;
        continue;
      }
      parts.push({ ...p, text: p.text.slice(skip) });
      skip = 0;
      continue;
    }
    parts.push(p);
  }
  return { parts };
}

/** Parses shell source (one line, or several joined with newlines). */
export function parse(src: string): ParseResult {
  try {
    const script = new Parser(tokenize(src)).parseScript();
    return { ok: true, script };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, incomplete: e.incomplete, message: e.message };
    throw e;
  }
}

/** Values the expansion of a word needs. */
export interface ExpansionScope {
  param(name: string): string | undefined;
  home(): string;
}

/**
 * Expands a word into fields: parameters and ~ substituted, unquoted expansion results split on
 * blanks (IFS default), quotes removed. No pathname expansion: `*` stays literal.
 */
export function expandWord(word: Word, scope: ExpansionScope): string[] {
  const fields: string[] = [];
  let cur = '';
  let present = false;
  for (const p of word.parts) {
    if (p.kind === 'tilde') {
      cur += scope.home();
      present = true;
    } else if (p.kind === 'text') {
      cur += p.text;
      if (p.quoted || p.text !== '') present = true;
    } else {
      const value = scope.param(p.name) ?? '';
      if (p.quoted) {
        cur += value;
        present = true;
        continue;
      }
      for (const ch of value) {
        if (ch === ' ' || ch === '\t' || ch === '\n') {
          if (present) fields.push(cur);
          cur = '';
          present = false;
        } else {
          cur += ch;
          present = true;
        }
      }
    }
  }
  if (present) fields.push(cur);
  return fields;
}

/** Expands a word to one string, without field splitting (assignments, redirection targets). */
export function expandWordToString(word: Word, scope: ExpansionScope): string {
  let out = '';
  for (const p of word.parts) {
    if (p.kind === 'tilde') out += scope.home();
    else if (p.kind === 'text') out += p.text;
    else out += scope.param(p.name) ?? '';
  }
  return out;
}
