/* Program entry for static arm64 executables. Counterpart of musl's crt/aarch64/crt1 +
 * src/env/__libc_start_main.c: at _start the kernel has put argc, argv[], NULL, envp[], NULL,
 * auxv on the stack (sp); hand that pointer to C, which calls main and exits. */
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x29, #0			/* the outermost frame */
	mov	x30, #0
	mov	x0, sp
	and	sp, x0, #~15
	bl	__libc_start_main
	brk	#0x1000			/* not reached: __libc_start_main exits */
	.size	_start, . - _start
