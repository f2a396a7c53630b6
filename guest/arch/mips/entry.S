/* The exception vector and the low-level entry/exit paths. Counterpart of
 * arch/mips/kernel/genex.S (except_vec3_generic, the BUILD_HANDLER handlers, handle_int),
 * arch/mips/mm/tlbex-fault.S (tlb_do_page_fault_0/1, which the TLB handlers end in: this CPU
 * has no TLB, a missing page is a TLBL/TLBS/Mod exception at once), arch/mips/kernel/entry.S
 * (ret_from_exception, resume_userspace, work_pending, restore_all) and
 * arch/mips/include/asm/stackframe.h (SAVE_ALL, CLI, RESTORE_ALL_AND_RET). All of it is in
 * .entry.text, which TypeScript's kprobes blacklist (__entry_text_start..__entry_text_end):
 * a probe on the path that handles probe traps would recurse.
 *
 * An exception saves a struct pt_regs (asm/ptrace.h) below the stack it came in on: from user
 * mode (Status.KSU = user) that is kernelsp, the current task's stack top less 32 bytes, which
 * TypeScript writes on every task switch; from kernel mode the interrupted kernel sp. Then CLI
 * drops EXL and KSU (kernel mode, CU0 set, interrupts off), so that a uaccess fault or a kprobe
 * break inside the handler is an ordinary nested exception, and the C handler runs with
 * a0 = the pt_regs (whose first 32 bytes are the o32 argument save area of that call). The
 * system call entry is handle_sys: its C half is do_syscall (syscall.c). */
#include <asm/linkage.h>
#include <asm/regdef.h>
#include <asm/mipsregs.h>
#include <asm/ptrace.h>
#include <asm/asm-offsets.h>
#include <asm/thread_info.h>

/* ---- the register save and restore of asm/stackframe.h ---------------------------------- */

	.macro	SAVE_ALL
	.set	push
	.set	noat
	.set	noreorder
	mfc0	k0, CP0_STATUS
	andi	k0, k0, KSU_USER	/* from user mode? */
	beqz	k0, 8f
	 move	k0, sp			/* the interrupted sp */
	/* Called from user mode: the task's kernel stack (get_saved_sp). */
	lui	k1, %hi(kernelsp)
	lw	sp, %lo(kernelsp)(k1)
8:	addiu	sp, sp, -PT_SIZE
	sw	k0, PT_R29(sp)
	sw	$3, PT_R3(sp)
	/* You might think that you don't need to save $0, but the FPU emulator and gdb remote
	 * debug stub need it to operate correctly (Linux's comment). */
	sw	$0, PT_R0(sp)
	mfc0	v1, CP0_STATUS
	sw	$2, PT_R2(sp)
	sw	v1, PT_STATUS(sp)
	sw	$4, PT_R4(sp)
	mfc0	v1, CP0_CAUSE
	sw	$5, PT_R5(sp)
	sw	v1, PT_CAUSE(sp)
	sw	$6, PT_R6(sp)
	sw	ra, PT_R31(sp)
	mfc0	ra, CP0_EPC
	sw	$7, PT_R7(sp)
	sw	ra, PT_EPC(sp)
	sw	$25, PT_R25(sp)
	sw	$28, PT_R28(sp)
	mfc0	v1, CP0_BADVADDR
	sw	v1, PT_BVADDR(sp)
	/* SAVE_AT, SAVE_TEMP */
	sw	$1, PT_R1(sp)
	mfhi	v1
	sw	$8, PT_R8(sp)
	sw	$9, PT_R9(sp)
	sw	v1, PT_HI(sp)
	mflo	v1
	sw	$10, PT_R10(sp)
	sw	$11, PT_R11(sp)
	sw	v1, PT_LO(sp)
	sw	$12, PT_R12(sp)
	sw	$13, PT_R13(sp)
	sw	$14, PT_R14(sp)
	sw	$15, PT_R15(sp)
	sw	$24, PT_R24(sp)
	/* SAVE_STATIC */
	sw	$16, PT_R16(sp)
	sw	$17, PT_R17(sp)
	sw	$18, PT_R18(sp)
	sw	$19, PT_R19(sp)
	sw	$20, PT_R20(sp)
	sw	$21, PT_R21(sp)
	sw	$22, PT_R22(sp)
	sw	$23, PT_R23(sp)
	sw	$30, PT_R30(sp)
	/* k0 and k1 are the handler's scratch: their slots hold nothing of the interrupted code. */
	sw	$0, PT_R26(sp)
	sw	$0, PT_R27(sp)
	.set	pop
	.endm

	/* Kernel mode, CU0 set, EXL, ERL and KSU cleared, interrupts off (STATMASK). */
	.macro	CLI
	mfc0	t0, CP0_STATUS
	li	t1, ST0_KERNEL_CUMASK | STATMASK
	or	t0, t1
	xori	t0, STATMASK
	mtc0	t0, CP0_STATUS
	ehb
	.endm

	.macro	RESTORE_ALL_AND_RET
	.set	push
	.set	noat
	.set	noreorder
	/* Back to exception level first (EXL set, interrupts off), so that the saved Status,
	 * which may say "user", changes nothing until eret. */
	mfc0	t0, CP0_STATUS
	ori	t0, STATMASK
	xori	t0, STATMASK ^ ST0_EXL
	mtc0	t0, CP0_STATUS
	ehb
	lw	t0, PT_STATUS(sp)
	li	t1, ~ST0_ERL
	and	t0, t1
	ori	t0, ST0_EXL
	mtc0	t0, CP0_STATUS
	lw	t1, PT_EPC(sp)
	mtc0	t1, CP0_EPC
	ehb
	lw	v1, PT_LO(sp)
	mtlo	v1
	lw	v1, PT_HI(sp)
	mthi	v1
	lw	$1, PT_R1(sp)
	lw	$2, PT_R2(sp)
	lw	$3, PT_R3(sp)
	lw	$4, PT_R4(sp)
	lw	$5, PT_R5(sp)
	lw	$6, PT_R6(sp)
	lw	$7, PT_R7(sp)
	lw	$8, PT_R8(sp)
	lw	$9, PT_R9(sp)
	lw	$10, PT_R10(sp)
	lw	$11, PT_R11(sp)
	lw	$12, PT_R12(sp)
	lw	$13, PT_R13(sp)
	lw	$14, PT_R14(sp)
	lw	$15, PT_R15(sp)
	lw	$16, PT_R16(sp)
	lw	$17, PT_R17(sp)
	lw	$18, PT_R18(sp)
	lw	$19, PT_R19(sp)
	lw	$20, PT_R20(sp)
	lw	$21, PT_R21(sp)
	lw	$22, PT_R22(sp)
	lw	$23, PT_R23(sp)
	lw	$24, PT_R24(sp)
	lw	$25, PT_R25(sp)
	lw	$28, PT_R28(sp)
	lw	$30, PT_R30(sp)
	lw	$31, PT_R31(sp)
	lw	sp, PT_R29(sp)
	eret
	.set	pop
	.endm

	.pushsection ".entry.text", "ax"

/* ---- the exception vector page ------------------------------------------------------------
 * EBase points here (head.S). Without a TLB nothing uses the refill vector at +0x000, and with
 * Status.BEV and Cause.IV clear every exception goes to the general vector at +0x180. */
	.balign	4096
	.globl	ebase
ebase:
	.fill	0x180 / 4, 4, 0

/* EBase + 0x180: the general exception vector. Dispatch on Cause.ExcCode through
 * exception_handlers[] (traps.c), with k0/k1 only: nothing is saved yet. */
SYM_CODE_START(except_vec3_generic)
	.set	push
	.set	noat
	.set	noreorder
	mfc0	k1, CP0_CAUSE
	andi	k1, k1, CAUSEF_EXCCODE
	lui	k0, %hi(exception_handlers)
	addu	k0, k0, k1
	lw	k0, %lo(exception_handlers)(k0)
	jr	k0
	 nop
	.set	pop
SYM_CODE_END(except_vec3_generic)

/* ---- the handlers ------------------------------------------------------------------------- */

	/* BUILD_HANDLER: save, kernel mode, do_<handler>(regs), back the way we came. */
	.macro	BUILD_HANDLER exception handler
SYM_CODE_START(handle_\exception)
	SAVE_ALL
	CLI
	move	a0, sp
	jal	do_\handler
	j	ret_from_exception
SYM_CODE_END(handle_\exception)
	.endm

	BUILD_HANDLER adel ade			/* #4  */
	BUILD_HANDLER ades ade			/* #5  */
	BUILD_HANDLER ibe be			/* #6  */
	BUILD_HANDLER dbe be			/* #7  */
	BUILD_HANDLER bp bp			/* #9  */
	BUILD_HANDLER ri ri			/* #10 */
	BUILD_HANDLER cpu cpu			/* #11 */
	BUILD_HANDLER ov ov			/* #12 */
	BUILD_HANDLER tr tr			/* #13 */
	BUILD_HANDLER reserved reserved		/* others */

/* #0: no interrupt controller, no interrupt is ever delivered: a spurious one returns. */
SYM_CODE_START(handle_int)
	SAVE_ALL
	CLI
	j	ret_from_exception
SYM_CODE_END(handle_int)

/* #1, #2, #3: what the TLB handlers of a real MIPS end in when the page is not there. */
	.macro	tlb_do_page_fault, write
SYM_CODE_START(tlb_do_page_fault_\write)
	SAVE_ALL
	CLI
	move	a0, sp
	li	a1, \write
	lw	a2, PT_BVADDR(sp)
	jal	do_page_fault
	j	ret_from_exception
SYM_CODE_END(tlb_do_page_fault_\write)
	.endm

	tlb_do_page_fault 0
	tlb_do_page_fault 1

SYM_CODE_START(handle_tlbl)
	j	tlb_do_page_fault_0
SYM_CODE_END(handle_tlbl)

SYM_CODE_START(handle_tlbs)
	j	tlb_do_page_fault_1
SYM_CODE_END(handle_tlbs)

SYM_CODE_START(handle_tlbm)
	j	tlb_do_page_fault_1
SYM_CODE_END(handle_tlbm)

/* #8: the o32 system call (scall32-o32.S's handle_sys; do_syscall does its work in C). */
SYM_CODE_START(handle_sys)
	SAVE_ALL
	CLI
	move	a0, sp
	jal	do_syscall
	j	ret_from_exception
SYM_CODE_END(handle_sys)

/* ---- the way out (entry.S) ---------------------------------------------------------------- */

SYM_CODE_START(ret_from_exception)
	lw	t0, PT_STATUS(sp)		# returning to kernel mode?
	andi	t0, t0, KU_USER
	beqz	t0, restore_all

/* Back to user space: give up the CPU if asked to (need-resched), then act on pending signals
 * (exit_to_user_mode of the other arches). */
resume_userspace:
	lw	t0, current_task
	lw	a2, TASK_TI_FLAGS(t0)
	andi	t1, a2, _TIF_NEED_RESCHED
	beqz	t1, work_notifysig
work_resched:
	jal	schedule
work_notifysig:
	lw	a0, current_task
	jal	signal_pending
	beqz	v0, restore_all
	move	a0, sp
	jal	do_notify_resume

/* Restores the (possibly rewritten: execve) pt_regs and erets. */
restore_all:
	RESTORE_ALL_AND_RET
SYM_CODE_END(ret_from_exception)

	.popsection
