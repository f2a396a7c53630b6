/* Program entry for static mips (o32) executables. Counterpart of musl's crt/mips/crt1.s +
 * src/env/__libc_start_main.c: at _start the kernel has put argc, argv[], NULL, envp[], NULL,
 * auxv on the stack (sp); hand that pointer to C, which calls main and exits. The programs are
 * built without abicalls (-mno-abicalls -G 0), so there is no $gp to set up. */
	.text
	.set	noreorder
	.globl	_start
	.type	_start, @function
	.ent	_start
_start:
	move	$fp, $0			/* the outermost frame */
	move	$ra, $0
	move	$a0, $sp
	li	$t0, -8
	and	$sp, $sp, $t0		/* 8-byte aligned, as o32 wants */
	addiu	$sp, $sp, -16		/* the argument save area of the call */
	jal	__libc_start_main
	 nop
	break	0			/* not reached: __libc_start_main exits */
	.end	_start
	.size	_start, . - _start
