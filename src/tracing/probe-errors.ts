// The probe-event parser's error table and its logger: the counterpart of the ERRORS macro in
// kernel/trace/trace_probe.h and trace_probe_log_* / __trace_probe_log_err in trace_probe.c.
//
// The parser does not touch error_log itself: it collects LoggedError records (the text and the
// caret position computed exactly as the kernel does from argv, index and offset), and whoever
// runs the command (the emulated tracefs, or a host-side validator) decides where they go.

/** Error codes and texts, in the kernel's order (6.12.117). */
export const PROBE_ERRORS = {
  FILE_NOT_FOUND: 'Failed to find the given file',
  NO_REGULAR_FILE: 'Not a regular file',
  BAD_REFCNT: 'Invalid reference counter offset',
  REFCNT_OPEN_BRACE: 'Reference counter brace is not closed',
  BAD_REFCNT_SUFFIX: 'Reference counter has wrong suffix',
  BAD_UPROBE_OFFS: 'Invalid uprobe offset',
  BAD_MAXACT_TYPE: 'Maxactive is only for function exit',
  BAD_MAXACT: 'Invalid maxactive number',
  MAXACT_TOO_BIG: 'Maxactive is too big',
  BAD_PROBE_ADDR: 'Invalid probed address or symbol',
  NON_UNIQ_SYMBOL: 'The symbol is not unique',
  BAD_RETPROBE: 'Retprobe address must be an function entry',
  NO_TRACEPOINT: 'Tracepoint is not found',
  BAD_TP_NAME: 'Invalid character in tracepoint name',
  BAD_ADDR_SUFFIX: 'Invalid probed address suffix',
  NO_GROUP_NAME: 'Group name is not specified',
  GROUP_TOO_LONG: 'Group name is too long',
  BAD_GROUP_NAME: 'Group name must follow the same rules as C identifiers',
  NO_EVENT_NAME: 'Event name is not specified',
  EVENT_TOO_LONG: 'Event name is too long',
  BAD_EVENT_NAME: 'Event name must follow the same rules as C identifiers',
  EVENT_EXIST: 'Given group/event name is already used by another event',
  RETVAL_ON_PROBE: '$retval is not available on probe',
  NO_RETVAL: "This function returns 'void' type",
  BAD_STACK_NUM: 'Invalid stack number',
  BAD_ARG_NUM: 'Invalid argument number',
  BAD_VAR: 'Invalid $-variable specified',
  BAD_REG_NAME: 'Invalid register name',
  BAD_MEM_ADDR: 'Invalid memory address',
  BAD_IMM: 'Invalid immediate value',
  IMMSTR_NO_CLOSE: 'String is not closed with \'"\'',
  FILE_ON_KPROBE: 'File offset is not available with kprobe',
  BAD_FILE_OFFS: 'Invalid file offset value',
  SYM_ON_UPROBE: 'Symbol is not available with uprobe',
  TOO_MANY_OPS: 'Dereference is too much nested',
  DEREF_NEED_BRACE: 'Dereference needs a brace',
  BAD_DEREF_OFFS: 'Invalid dereference offset',
  DEREF_OPEN_BRACE: 'Dereference brace is not closed',
  COMM_CANT_DEREF: '$comm can not be dereferenced',
  BAD_FETCH_ARG: 'Invalid fetch argument',
  ARRAY_NO_CLOSE: 'Array is not closed',
  BAD_ARRAY_SUFFIX: 'Array has wrong suffix',
  BAD_ARRAY_NUM: 'Invalid array size',
  ARRAY_TOO_BIG: 'Array number is too big',
  BAD_TYPE: 'Unknown type is specified',
  BAD_STRING: 'String accepts only memory argument',
  BAD_SYMSTRING: "Symbol String doesn't accept data/userdata",
  BAD_BITFIELD: 'Invalid bitfield',
  ARG_NAME_TOO_LONG: 'Argument name is too long',
  NO_ARG_NAME: 'Argument name is not specified',
  BAD_ARG_NAME: 'Argument name must follow the same rules as C identifiers',
  USED_ARG_NAME: 'This argument name is already used',
  ARG_TOO_LONG: 'Argument expression is too long',
  NO_ARG_BODY: 'No argument expression',
  BAD_INSN_BNDRY: 'Probe point is not an instruction boundary',
  FAIL_REG_PROBE: 'Failed to register probe event',
  DIFF_PROBE_TYPE: 'Probe type is different from existing probe',
  DIFF_ARG_TYPE: 'Argument type or name is different from existing probe',
  SAME_PROBE: 'There is already the exact same probe event',
  NO_EVENT_INFO: 'This requires both group and event name to attach',
  BAD_ATTACH_EVENT: 'Attached event does not exist',
  BAD_ATTACH_ARG: 'Attached event does not have this field',
  NO_EP_FILTER: "No filter rule after 'if'",
  NOSUP_BTFARG: 'BTF is not available or not supported',
  NO_BTFARG: 'This variable is not found at this probe point',
  NO_BTF_ENTRY: 'No BTF entry for this probe point',
  BAD_VAR_ARGS: '$arg* must be an independent parameter without name etc.',
  NOFENTRY_ARGS: '$arg* can be used only on function entry or exit',
  DOUBLE_ARGS: '$arg* can be used only once in the parameters',
  ARGS_2LONG: '$arg* failed because the argument list is too long',
  ARGIDX_2BIG: '$argN index is too big',
  NO_PTR_STRCT: 'This is not a pointer to union/structure.',
  NOSUP_DAT_ARG: 'Non pointer structure/union argument is not supported.',
  BAD_HYPHEN: "Failed to parse single hyphen. Forgot '>'?",
  NO_BTF_FIELD: 'This field is not found.',
  BAD_BTF_TID: 'Failed to get BTF type info.',
  BAD_TYPE4STR: 'This type does not fit for string.',
  NEED_STRING_TYPE: '$comm and immediate-string only accepts string type',
  EVENT_TOO_BIG: 'Event too big (too many fields?)',
} as const;

export type ProbeErrorCode = keyof typeof PROBE_ERRORS;

/** One error as error_log records it: subsystem, text, the joined command and the caret column. */
export interface LoggedError {
  /** "trace_kprobe", "trace_uprobe", "event filter parse error", … */
  readonly location: string;
  readonly code: string;
  readonly text: string;
  /** argv joined with single spaces. */
  readonly command: string;
  /** Caret column within command (the kernel's u16 pos). */
  readonly pos: number;
}

/**
 * trace_probe_log: the argv of the command being parsed and the index of the word the next error
 * refers to. err() reproduces __trace_probe_log_err: the caret lands at the start of argv[index]
 * plus offset; an index past the last word puts it one column past the end of the command.
 */
export class ProbeLog {
  index = 0;
  readonly errors: LoggedError[] = [];

  constructor(
    readonly subsystem: string,
    /** The argv array; kept by reference because %pd/%pD expansion rewrites words in place. */
    readonly argv: string[],
  ) {}

  setIndex(i: number): void {
    this.index = i;
  }

  err(offset: number, code: ProbeErrorCode): void {
    const argv = this.argv;
    if (argv.length === 0) return;
    let len = 0;
    let pos = 0;
    for (let i = 0; i < argv.length; i++) {
      if (i === this.index) pos = len;
      len += argv[i]!.length + 1;
    }
    if (this.index >= argv.length) {
      // len counts the terminating NUL, so the caret appears one past the trailing space.
      pos = len;
      offset = 0;
    }
    this.errors.push({
      location: this.subsystem,
      code,
      text: PROBE_ERRORS[code],
      command: argv.join(' '),
      // The kernel stores pos in a u16.
      pos: (pos + offset) & 0xffff,
    });
  }
}

/** A parse or registration failure: the negative errno the write returns. */
export class ProbeCommandError extends Error {
  constructor(readonly errno: number) {
    super(`probe command failed: ${errno}`);
  }
}
