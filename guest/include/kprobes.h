/* What the guest offers TypeScript's kprobes: the blacklist annotations and the section
 * markers. Counterpart of include/asm-generic/kprobes.h and include/asm-generic/sections.h.
 * The probe machinery itself is in src/kprobes/. */
#ifndef _GUEST_KPROBES_H
#define _GUEST_KPROBES_H

#include "compiler.h"

/* Functions that must never be probed: their own section, blacklisted whole. */
#define __kprobes	__section(".kprobes.text")

/* Blacklist one function by storing its address in _kprobe_blacklist, as Linux does;
 * populate_kprobe_blacklist() turns each entry into [start, start + size) with kallsyms. */
#define __NOKPROBE_SYMBOL(fname)					\
	static unsigned long __used __section("_kprobe_blacklist")	\
	_kbl_addr_##fname = (unsigned long)fname;
#define NOKPROBE_SYMBOL(fname)	__NOKPROBE_SYMBOL(fname)

extern char _text[], _stext[], _etext[];
extern char __entry_text_start[], __entry_text_end[];
extern char __noinstr_text_start[], __noinstr_text_end[];
extern char __kprobes_text_start[], __kprobes_text_end[];
extern unsigned long __start__kprobe_blacklist[], __stop__kprobe_blacklist[];
extern char __heap_start[];

/* arch: the kretprobe trampoline (arm64: brk #KRETPROBES_BRK_IMM; mips: a nop the kprobes core
 * probes) and the end of host calls. */
extern char __kretprobe_trampoline[];
extern char host_call_return[];

#endif
