/* Kernel entry point. Counterpart of arch/arm64/kernel/head.S, reduced to what this machine
 * needs: TypeScript has already mapped the image and heap (ABI.md), the CPU starts here in EL1
 * with interrupts masked, so there is no MMU or EL2 setup: set the boot stack and the vector
 * base, then start_kernel(). */
#include <asm/linkage.h>
#include <asm/memory.h>
#include <asm/esr.h>

	.section ".head.text", "ax"

SYM_CODE_START(_start)
	/* Zero .bss in case the loader did not (the boot stack is in it, still unused). */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_stop
	add	x1, x1, :lo12:__bss_stop
0:	cmp	x0, x1
	b.hs	1f
	str	xzr, [x0], #8
	b	0b
1:
	/* The boot stack is init_task's stack (init_stack, kernel/init_task.c). */
	adrp	x0, init_stack
	add	x0, x0, :lo12:init_stack
	add	sp, x0, #THREAD_SIZE

	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	isb

	/* A zero frame record terminates every backtrace. */
	mov	x29, xzr
	mov	x30, xzr
	bl	start_kernel
	/* start_kernel ends with HVC_BOOT_DONE and is never resumed. */
	brk	#BUG_BRK_IMM
SYM_CODE_END(_start)
