/* Exception vectors and the low-level entry/exit paths. Counterpart of
 * arch/arm64/kernel/entry.S: kernel_ventry, kernel_entry/kernel_exit saving and restoring a
 * struct pt_regs in the 6.12 layout, the 16 vector slots, ret_to_user/ret_to_kernel. All of it
 * is in .entry.text, which arm64 Linux blacklists for kprobes (arch_populate_kprobe_blacklist
 * adds __entry_text_start..__entry_text_end). The C handlers are in entry-common.c. */
#include <asm/linkage.h>
#include <asm/memory.h>
#include <asm/ptrace.h>

	.pushsection ".entry.text", "ax"

	/* A vector slot: room for pt_regs, then to the handler stub. */
	.macro kernel_ventry, el:req, ht:req, regsize:req, label:req
	.balign 128
	sub	sp, sp, #PT_REGS_SIZE
	b	el\el\ht\()_\regsize\()_\label
	.endm

	.macro kernel_entry, el:req
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	.if	\el == 0
	mrs	x21, sp_el0			/* the user stack pointer */
	.else
	add	x21, sp, #PT_REGS_SIZE		/* the interrupted kernel sp */
	.endif
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x30, x21, [sp, #S_LR]

	/* From EL0 a final (zero) frame record; from EL1 one that shows the interrupted pc,
	 * so a backtrace crosses the exception. */
	.if	\el == 0
	stp	xzr, xzr, [sp, #S_STACKFRAME]
	.else
	stp	x29, x22, [sp, #S_STACKFRAME]
	.endif
	add	x29, sp, #S_STACKFRAME

	stp	x22, x23, [sp, #S_PC]

	/* Not a system call unless el0_svc says so. */
	.if	\el == 0
	mov	w21, #NO_SYSCALL
	str	w21, [sp, #S_SYSCALLNO]
	.endif
	.endm

	.macro kernel_exit, el:req
	ldp	x21, x22, [sp, #S_PC]		/* elr, spsr */
	.if	\el == 0
	ldr	x23, [sp, #S_SP]
	msr	sp_el0, x23
	.endif
	msr	elr_el1, x21
	msr	spsr_el1, x22
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #S_LR]
	add	sp, sp, #PT_REGS_SIZE
	eret
	.endm

/* The vector table: 2 KiB aligned, 16 slots of 128 bytes (VBAR_EL1 points here). */
	.balign 2048
SYM_CODE_START(vectors)
	kernel_ventry	1, t, 64, sync		/* EL1 with SP_EL0 */
	kernel_ventry	1, t, 64, irq
	kernel_ventry	1, t, 64, fiq
	kernel_ventry	1, t, 64, error

	kernel_ventry	1, h, 64, sync		/* EL1 with SP_EL1: the kernel itself */
	kernel_ventry	1, h, 64, irq
	kernel_ventry	1, h, 64, fiq
	kernel_ventry	1, h, 64, error

	kernel_ventry	0, t, 64, sync		/* EL0 AArch64: system calls land here (+0x400) */
	kernel_ventry	0, t, 64, irq
	kernel_ventry	0, t, 64, fiq
	kernel_ventry	0, t, 64, error

	kernel_ventry	0, t, 32, sync		/* EL0 AArch32: not supported */
	kernel_ventry	0, t, 32, irq
	kernel_ventry	0, t, 32, fiq
	kernel_ventry	0, t, 32, error
	.balign 128
SYM_CODE_END(vectors)

	/* A stub per slot: save pt_regs, call the C handler, return the way we came. */
	.macro entry_handler, el:req, ht:req, regsize:req, label:req
SYM_CODE_START_LOCAL(el\el\ht\()_\regsize\()_\label)
	kernel_entry \el
	mov	x0, sp
	bl	el\el\ht\()_\regsize\()_\label\()_handler
	.if	\el == 0
	b	ret_to_user
	.else
	b	ret_to_kernel
	.endif
SYM_CODE_END(el\el\ht\()_\regsize\()_\label)
	.endm

	entry_handler	1, t, 64, sync
	entry_handler	1, t, 64, irq
	entry_handler	1, t, 64, fiq
	entry_handler	1, t, 64, error
	entry_handler	1, h, 64, sync
	entry_handler	1, h, 64, irq
	entry_handler	1, h, 64, fiq
	entry_handler	1, h, 64, error
	entry_handler	0, t, 64, sync
	entry_handler	0, t, 64, irq
	entry_handler	0, t, 64, fiq
	entry_handler	0, t, 64, error
	entry_handler	0, t, 32, sync
	entry_handler	0, t, 32, irq
	entry_handler	0, t, 32, fiq
	entry_handler	0, t, 32, error

SYM_CODE_START_LOCAL(ret_to_kernel)
	kernel_exit 1
SYM_CODE_END(ret_to_kernel)

/* Back to user space: restores the (possibly rewritten: execve) pt_regs and erets. */
SYM_CODE_START(ret_to_user)
	kernel_exit 0
SYM_CODE_END(ret_to_user)

	.popsection
