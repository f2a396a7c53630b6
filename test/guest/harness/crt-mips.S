/* Harness entry, setjmp/longjmp (callee-saved s0-s7, fp, sp, ra, gp) and the qemu-user
 * process's own system calls, for mips (o32). */
	.text
	.set	noreorder

	.globl	_start
	.type	_start, @function
	.ent	_start
_start:
	move	$fp, $0
	move	$ra, $0
	move	$a0, $sp
	li	$t0, -8
	and	$sp, $sp, $t0
	addiu	$sp, $sp, -16
	jal	harness_main
	 nop
	move	$a0, $v0
	li	$v0, 4246		/* exit_group */
	syscall
	.end	_start
	.size	_start, . - _start

	.globl	hsetjmp
	.type	hsetjmp, @function
	.ent	hsetjmp
hsetjmp:
	sw	$16, 0($a0)
	sw	$17, 4($a0)
	sw	$18, 8($a0)
	sw	$19, 12($a0)
	sw	$20, 16($a0)
	sw	$21, 20($a0)
	sw	$22, 24($a0)
	sw	$23, 28($a0)
	sw	$30, 32($a0)
	sw	$29, 36($a0)
	sw	$31, 40($a0)
	sw	$28, 44($a0)
	jr	$ra
	 move	$v0, $0
	.end	hsetjmp
	.size	hsetjmp, . - hsetjmp

	.globl	hlongjmp
	.type	hlongjmp, @function
	.ent	hlongjmp
hlongjmp:
	lw	$16, 0($a0)
	lw	$17, 4($a0)
	lw	$18, 8($a0)
	lw	$19, 12($a0)
	lw	$20, 16($a0)
	lw	$21, 20($a0)
	lw	$22, 24($a0)
	lw	$23, 28($a0)
	lw	$30, 32($a0)
	lw	$29, 36($a0)
	lw	$31, 40($a0)
	lw	$28, 44($a0)
	move	$v0, $a1
	bnez	$v0, 1f
	 nop
	li	$v0, 1
1:	jr	$ra
	 nop
	.end	hlongjmp
	.size	hlongjmp, . - hlongjmp

/* long host_syscall(long nr, long a0, long a1, long a2): a real system call of the qemu-user
 * process (for the harness's own output), -errno on failure. */
	.globl	host_syscall
	.type	host_syscall, @function
	.ent	host_syscall
host_syscall:
	move	$v0, $a0
	move	$a0, $a1
	move	$a1, $a2
	move	$a2, $a3
	syscall
	bnez	$a3, 1f
	 nop
	jr	$ra
	 nop
1:	jr	$ra
	 subu	$v0, $0, $v0
	.end	host_syscall
	.size	host_syscall, . - host_syscall
