/* Harness entry, setjmp/longjmp (callee-saved x19-x30, sp) and the qemu-user process's own system
 * calls, for arm64. */
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x29, #0
	mov	x30, #0
	mov	x0, sp
	bl	harness_main
	mov	x8, #94			/* exit_group */
	svc	#0
	.size	_start, . - _start

	.globl	hsetjmp
	.type	hsetjmp, %function
hsetjmp:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x1, sp
	str	x1, [x0, #96]
	mov	x0, #0
	ret
	.size	hsetjmp, . - hsetjmp

	.globl	hlongjmp
	.type	hlongjmp, %function
hlongjmp:
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x2, [x0, #96]
	mov	sp, x2
	cmp	x1, #0
	csinc	x0, x1, xzr, ne
	ret
	.size	hlongjmp, . - hlongjmp

	.globl	host_syscall
	.type	host_syscall, %function
/* long host_syscall(long nr, long a0, long a1, long a2): a real system call of the qemu-user
 * process (for the harness's own output). */
host_syscall:
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	svc	#0
	ret
	.size	host_syscall, . - host_syscall
