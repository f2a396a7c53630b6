// Tests of the shell's parser and word expansion (src/shell/parser.ts): quoting, parameters,
// operators, redirections, comments, and the seed's command lines exactly as written.

import { describe, expect, it } from 'vitest';
import { expandWord, expandWordToString, parse, type ExpansionScope, type Script, type SimpleCommand } from '../../src/shell/parser.ts';

const vars: Record<string, string> = { HOME: '/root', X: 'a b', EMPTY: '', '?': '1', N: 'sys_write' };
const scope: ExpansionScope = { param: (n) => vars[n], home: () => '/root' };

function script(src: string): Script {
  const r = parse(src);
  if (!r.ok) throw new Error(r.message);
  return r.script;
}

/** The single simple command of `src`, with its words and redirect targets expanded. */
function cmd(src: string): { argv: string[]; redirects: { fd: number; op: string; target: string }[]; assignments: [string, string][] } {
  const s = script(src);
  expect(s).toHaveLength(1);
  expect(s[0].rest).toHaveLength(0);
  expect(s[0].first.commands).toHaveLength(1);
  const c: SimpleCommand = s[0].first.commands[0];
  return {
    argv: c.words.flatMap((w) => expandWord(w, scope)),
    redirects: c.redirects.map((r) => ({ fd: r.fd, op: r.op, target: expandWordToString(r.target, scope) })),
    assignments: c.assignments.map((a) => [a.name, expandWordToString(a.value, scope)]),
  };
}

describe('the seed and its issue lines', () => {
  it('mount -t debugfs nodev /sys/kernel/debug', () => {
    expect(cmd('mount -t debugfs nodev /sys/kernel/debug').argv).toEqual(['mount', '-t', 'debugfs', 'nodev', '/sys/kernel/debug']);
  });

  it('echo "p:sys_write_event sys_write" > kprobe_events', () => {
    expect(cmd('echo "p:sys_write_event sys_write" > kprobe_events')).toEqual({
      argv: ['echo', 'p:sys_write_event sys_write'],
      redirects: [{ fd: 1, op: '>', target: 'kprobe_events' }],
      assignments: [],
    });
  });

  it("echo '-:kprobes/sys_write_event' >> kprobe_events", () => {
    expect(cmd("echo '-:kprobes/sys_write_event' >> kprobe_events")).toMatchObject({
      argv: ['echo', '-:kprobes/sys_write_event'],
      redirects: [{ fd: 1, op: '>>', target: 'kprobe_events' }],
    });
  });

  it('the seed\'s removal line with its trailing comment', () => {
    expect(cmd('echo "-:kprobes/sys_write_event" >> kprobe_events                   # un-register kprobe')).toMatchObject({
      argv: ['echo', '-:kprobes/sys_write_event'],
      redirects: [{ fd: 1, op: '>>', target: 'kprobe_events' }],
    });
    expect(cmd('echo 0 > enable                                                     # shutdown kprobe').argv).toEqual(['echo', '0']);
  });

  it('echo > trace: no argument, stdout to trace', () => {
    expect(cmd('echo > trace')).toEqual({ argv: ['echo'], redirects: [{ fd: 1, op: '>', target: 'trace' }], assignments: [] });
  });

  it("a fetch-arg line with %, (, ), + and : inside quotes", () => {
    expect(cmd("echo 'p:myopen do_sys_openat2 filename=+0(%x1):string' >> kprobe_events").argv).toEqual([
      'echo',
      'p:myopen do_sys_openat2 filename=+0(%x1):string',
    ]);
  });

  it('echo 1 > events/kprobes/sys_write_event/enable', () => {
    expect(cmd('echo 1 > events/kprobes/sys_write_event/enable')).toMatchObject({
      argv: ['echo', '1'],
      redirects: [{ fd: 1, op: '>', target: 'events/kprobes/sys_write_event/enable' }],
    });
  });

  it('insmod with a parameter', () => {
    expect(cmd('insmod examples/kprobe_example.ts symbol=do_sys_openat2').argv).toEqual(['insmod', 'examples/kprobe_example.ts', 'symbol=do_sys_openat2']);
  });

  it('a $ inside single quotes stays literal ($retval, $arg1, $comm)', () => {
    expect(cmd("echo 'r:myret do_sys_openat2 ret=$retval' >> kprobe_events").argv[1]).toBe('r:myret do_sys_openat2 ret=$retval');
  });
});

describe('quoting', () => {
  it('single quotes keep everything, backslashes included', () => {
    expect(cmd("echo 'a \\n $X \"b\"'").argv).toEqual(['echo', 'a \\n $X "b"']);
  });

  it('double quotes expand $ and keep blanks; \\ escapes only $ ` " \\', () => {
    expect(cmd('echo "$X  \\$X \\a \\\\ \\""').argv).toEqual(['echo', 'a b  $X \\a \\ "']);
  });

  it('backslash outside quotes escapes one character', () => {
    expect(cmd('echo a\\ b \\$X \\#c').argv).toEqual(['echo', 'a b', '$X', '#c']);
  });

  it('adjacent quoted and unquoted pieces make one word', () => {
    expect(cmd(`echo p:'ev'"ent" x"$N"y`).argv).toEqual(['echo', 'p:event', 'xsys_writey']);
  });

  it('"" is an empty argument; an unquoted empty variable is none', () => {
    expect(cmd('echo "" $EMPTY "$EMPTY"').argv).toEqual(['echo', '', '']);
  });

  it('a line continuation joins words', () => {
    expect(cmd('echo a \\\nb').argv).toEqual(['echo', 'a', 'b']);
  });
});

describe('expansion', () => {
  it('$? ${NAME} and field splitting of unquoted results', () => {
    expect(cmd('echo $? ${N}_x $X "$X"').argv).toEqual(['echo', '1', 'sys_write_x', 'a', 'b', 'a b']);
  });

  it('an unset variable expands to nothing', () => {
    expect(cmd('echo a$NOPE b').argv).toEqual(['echo', 'a', 'b']);
  });

  it('a lone $ is literal', () => {
    expect(cmd('echo $ a$').argv).toEqual(['echo', '$', 'a$']);
  });

  it('~ and ~/path at the start of a word', () => {
    expect(cmd('cd ~ ~/blog a~').argv).toEqual(['cd', '/root', '/root/blog', 'a~']);
  });

  it('assignments before the command', () => {
    expect(cmd('A=1 B="$X" env')).toMatchObject({ argv: ['env'], assignments: [['A', '1'], ['B', 'a b']] });
    expect(cmd('A=x')).toMatchObject({ argv: [], assignments: [['A', 'x']] });
    expect(cmd('echo A=x').argv).toEqual(['echo', 'A=x']);
  });

  it('* is not expanded', () => {
    expect(cmd('ls events/*').argv).toEqual(['ls', 'events/*']);
  });
});

describe('redirections', () => {
  it('2> 2>&1 >&2 < and >&-', () => {
    expect(cmd('cat < in > out 2> err').redirects).toEqual([
      { fd: 0, op: '<', target: 'in' },
      { fd: 1, op: '>', target: 'out' },
      { fd: 2, op: '>', target: 'err' },
    ]);
    expect(cmd('ls /nope > out 2>&1').redirects).toEqual([
      { fd: 1, op: '>', target: 'out' },
      { fd: 2, op: '>&', target: '1' },
    ]);
    expect(cmd('echo x >&2').redirects).toEqual([{ fd: 1, op: '>&', target: '2' }]);
    expect(cmd('echo x 2>&-').redirects).toEqual([{ fd: 2, op: '>&', target: '-' }]);
  });

  it('redirections may come first or without spaces', () => {
    expect(cmd('>kprobe_events echo x')).toMatchObject({ argv: ['echo', 'x'], redirects: [{ fd: 1, op: '>', target: 'kprobe_events' }] });
    expect(cmd('echo x>>f').redirects).toEqual([{ fd: 1, op: '>>', target: 'f' }]);
  });

  it('a number is an fd only right before < or >', () => {
    expect(cmd('echo 2 > f').argv).toEqual(['echo', '2']);
    expect(cmd('echo 2>f').argv).toEqual(['echo']);
    expect(cmd('echo "2">f').argv).toEqual(['echo', '2']);
  });

  it('a bare redirection is a command', () => {
    expect(cmd('> trace')).toEqual({ argv: [], redirects: [{ fd: 1, op: '>', target: 'trace' }], assignments: [] });
  });

  it('>| is >, <> opens read-write', () => {
    expect(cmd('echo >| f <> g').redirects).toEqual([
      { fd: 1, op: '>', target: 'f' },
      { fd: 0, op: '<>', target: 'g' },
    ]);
  });
});

describe('lists and pipelines', () => {
  it('; && || and their grouping', () => {
    const s = script('cd /sys && ls || echo no; pwd');
    expect(s).toHaveLength(2);
    expect(s[0].rest.map((r) => r.op)).toEqual(['&&', '||']);
    expect(s[1].first.commands[0].words).toHaveLength(1);
  });

  it('pipelines and !', () => {
    const s = script('! cat trace | grep sys_write | wc -l');
    expect(s[0].first.negated).toBe(true);
    expect(s[0].first.commands).toHaveLength(3);
  });

  it('newlines separate commands', () => {
    expect(script('echo a\necho b\n\n')).toHaveLength(2);
  });

  it('comments: a whole line, or after a word; # inside a word is text', () => {
    expect(script('# nothing here')).toEqual([]);
    expect(cmd('echo a#b # c').argv).toEqual(['echo', 'a#b']);
    expect(cmd("echo '#x' \"#y\"").argv).toEqual(['echo', '#x', '#y']);
  });

  it('an empty line is an empty script', () => {
    expect(script('')).toEqual([]);
    expect(script('   \t ')).toEqual([]);
  });
});

describe('incomplete input and syntax errors', () => {
  it.each([
    ['echo "abc', 'syntax error: unterminated quoted string'],
    ["echo 'abc", 'syntax error: unterminated quoted string'],
    ['ls |', 'syntax error: unexpected end of file'],
    ['true &&', 'syntax error: unexpected end of file'],
    ['false ||', 'syntax error: unexpected end of file'],
    ['echo a \\', 'syntax error: unexpected end of file'],
  ])('%s needs more input', (src, message) => {
    expect(parse(src)).toEqual({ ok: false, incomplete: true, message });
  });

  it('an open quote is completed by the next line', () => {
    const r = parse('echo "a\nb"');
    expect(r.ok && expandWord(r.script[0].first.commands[0].words[1], scope)).toEqual(['a\nb']);
  });

  it.each([
    ['| ls', 'syntax error: unexpected "|"'],
    ['ls ;; ls', 'syntax error: unexpected ";;"'],
    ['; ls', 'syntax error: unexpected ";"'],
    ['echo >', 'syntax error: unexpected newline'],
    ['echo > ;', 'syntax error: unexpected ";"'],
    ['ls && && ls', 'syntax error: unexpected "&&"'],
  ])('%s is an error', (src, message) => {
    expect(parse(src)).toEqual({ ok: false, incomplete: false, message });
  });

  it('unsupported constructs say so', () => {
    for (const src of ['sleep 1 &', 'echo $(ls)', 'echo `ls`', '(ls)', 'if true; then ls; fi', 'cat << EOF']) {
      const r = parse(src);
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.message).toMatch(/not supported/);
    }
  });
});
