/* The kretprobe trampoline. Counterpart of kretprobe_trampoline_holder() in
 * arch/mips/kernel/kprobes.c: a kretprobe replaces ra with __kretprobe_trampoline, a nop on
 * which the kprobes core keeps a probe of its own (arch_init_kprobes() registers trampoline_p,
 * whose pre_handler trampoline_probe_handler runs the return handlers and sets epc to the real
 * return address; TypeScript registers it as Linux does). The break after it is ASM_BUG():
 * reaching it means that probe did not redirect. */
#include <asm/linkage.h>
#include <asm/break.h>

	.text
	.set	noreorder

SYM_CODE_START(__kretprobe_trampoline)
	nop
	break	BRK_BUG
SYM_CODE_END(__kretprobe_trampoline)
