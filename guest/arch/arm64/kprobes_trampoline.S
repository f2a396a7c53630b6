/* The kretprobe trampoline. Counterpart of arch/arm64/kernel/probes/kprobes_trampoline.S
 * (Linux >= 6.9): a kretprobe replaces x30 with this address; when the probed function
 * returns here, brk #KRETPROBES_BRK_IMM traps to TypeScript's kretprobe_brk_handler, which
 * runs the return handlers and sets pc to the real return address. The instruction after the
 * brk is ASM_BUG(): reaching it means the handler did not redirect. */
#include <asm/linkage.h>
#include <asm/esr.h>

	.text

SYM_CODE_START(__kretprobe_trampoline)
	brk	#KRETPROBES_BRK_IMM
	brk	#BUG_BRK_IMM
SYM_CODE_END(__kretprobe_trampoline)
