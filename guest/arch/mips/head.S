/* Kernel entry point. Counterpart of arch/mips/kernel/head.S (kernel_entry), reduced to what
 * this machine needs: TypeScript has already mapped the image and heap (ABI.md), the CPU starts
 * here in kernel mode with interrupts off. Set Status (kernel mode, CU0, exceptions at EBase),
 * EBase to the exception vector page (entry.S), zero .bss, take init_task's stack (leaving the
 * 32 bytes at its top that MIPS keeps free, and making that kernelsp, as set_saved_sp does), then
 * start_kernel(). */
#include <asm/linkage.h>
#include <asm/regdef.h>
#include <asm/mipsregs.h>
#include <asm/memory.h>
#include <asm/break.h>

	.section ".head.text", "ax"
	.set	noreorder

SYM_CODE_START(_start)
	/* Kernel mode, CU0 (the kernel's mark, as Linux keeps it), BEV clear, EXL/ERL/IE clear. */
	li	t0, ST0_CU0
	mtc0	t0, CP0_STATUS
	la	t0, ebase
	mtc0	t0, CP0_EBASE
	ehb

	/* Zero .bss in case the loader did not (the boot stack is in it, still unused). */
	la	t0, __bss_start
	la	t1, __bss_stop
1:	sltu	t2, t0, t1
	beqz	t2, 2f
	 nop
	sw	zero, 0(t0)
	b	1b
	 addiu	t0, t0, 4
2:
	/* The boot stack is init_task's stack (init_stack, kernel/init_task.c). */
	la	sp, init_stack + THREAD_SIZE - 32
	la	t0, kernelsp
	sw	sp, 0(t0)

	/* A zero frame pointer and return address end every backtrace. */
	move	fp, zero
	move	ra, zero
	jal	start_kernel
	 nop
	/* start_kernel ends with HVC_BOOT_DONE and is never resumed. */
	break	BRK_BUG
SYM_CODE_END(_start)
