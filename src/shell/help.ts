// The text of the `help` builtin: a walk through the seed ("kprobe: dynamic anchor with
// self-defined handler") on this machine, with the paths a real kernel has, then the commands.

const GREETING =
  "kprobe: emulated arm64 Linux machine (guest kernel on a TypeScript CPU); type 'help' for a walk through kprobes, 'exit' to leave.\n";

export function greeting(arch: string): string {
  return GREETING.replace('arm64', arch);
}

const WALKTHROUGH = `A walk through kprobes on this machine: dynamic anchors with self-defined handlers.

1. debugfs (ftrace): probe events defined by writing to tracefs files
   mount -t debugfs nodev /sys/kernel/debug
   cd /sys/kernel/debug/tracing
   echo "p:sys_write_event sys_write" > kprobe_events     define a kprobe event on sys_write
   ls events/kprobes                                      enable  filter  sys_write_event
   echo 1 > events/kprobes/sys_write_event/enable         arm it: sys_write now traps
   cat trace                                              one line per hit: TASK-PID CPU flags TIME: event
   echo 0 > events/kprobes/sys_write_event/enable         disarm it
   echo "-:kprobes/sys_write_event" >> kprobe_events      delete the event
   The event's directory is events/kprobes/sys_write_event (there is no events/kprobes/events/).
   More: cat README, cat error_log after a rejected line, cat trace_pipe (Ctrl-C stops it),
   echo 'p:myopen do_sys_openat2 filename=+0(%x1):string' >> kprobe_events

2. a kernel module: kprobe_example, a TypeScript port of samples/kprobes/kprobe_example.c
   insmod examples/kprobe_example.ts      plant a kprobe on kernel_clone (symbol=NAME for another)
   ls                                     ls is a new process, made by kernel_clone: the pre- and
                                          post-handlers print around it
   dmesg                                  the handlers' pr_info lines, with timestamps
   rmmod kprobe_example                   unregister the kprobe and unload the module
`;

export function helpText(builtins: string[], commands: { name: string; summary: string }[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const list = commands.map((c) => `   ${c.name.padEnd(width)}${c.summary}`).join('\n');
  return `${WALKTHROUGH}
Shell builtins: ${builtins.join(' ')}
Commands (each runs as its own process, forked through kernel_clone):
${list}
   any ELF in /bin, or a path to one, runs as a user process
`;
}
