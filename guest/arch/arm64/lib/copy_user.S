/* Copies to and from user memory, with an exception-table entry on every instruction that
 * touches user memory: if it faults, el1h_64_sync_handler -> do_mem_abort -> fixup_exception
 * resumes at the fixup label, and the routine returns how much was left. Counterpart of
 * arch/arm64/lib/copy_from_user.S, copy_to_user.S, clear_user.S and lib/strncpy_from_user.c.
 * Plain loads and stores (not ldtr/sttr): the guest runs without PAN. */
#include <asm/linkage.h>
#include <asm/extable.h>

#define EFAULT 14

	.text

/* unsigned long __arch_copy_from_user(void *to, const void __user *from, unsigned long n)
 * Returns the number of bytes not copied. */
SYM_FUNC_START(__arch_copy_from_user)
	cmp	x2, #8
	b.lo	2f
1:	ldr	x3, [x1]			/* user */
	_asm_extable_uaccess 1b, 9f
	str	x3, [x0], #8
	add	x1, x1, #8
	sub	x2, x2, #8
	cmp	x2, #8
	b.hs	1b
2:	cbz	x2, 4f
3:	ldrb	w3, [x1]			/* user */
	_asm_extable_uaccess 3b, 9f
	strb	w3, [x0], #1
	add	x1, x1, #1
	subs	x2, x2, #1
	b.ne	3b
4:	mov	x0, #0
	ret
9:	mov	x0, x2
	ret
SYM_FUNC_END(__arch_copy_from_user)

/* unsigned long __arch_copy_to_user(void __user *to, const void *from, unsigned long n) */
SYM_FUNC_START(__arch_copy_to_user)
	cmp	x2, #8
	b.lo	2f
1:	ldr	x3, [x1], #8
5:	str	x3, [x0]			/* user */
	_asm_extable_uaccess 5b, 9f
	add	x0, x0, #8
	sub	x2, x2, #8
	cmp	x2, #8
	b.hs	1b
2:	cbz	x2, 4f
3:	ldrb	w3, [x1], #1
6:	strb	w3, [x0]			/* user */
	_asm_extable_uaccess 6b, 9f
	add	x0, x0, #1
	subs	x2, x2, #1
	b.ne	3b
4:	mov	x0, #0
	ret
9:	mov	x0, x2
	ret
SYM_FUNC_END(__arch_copy_to_user)

/* unsigned long __arch_clear_user(void __user *to, unsigned long n) */
SYM_FUNC_START(__arch_clear_user)
	cbz	x1, 2f
1:	strb	wzr, [x0]			/* user */
	_asm_extable_uaccess 1b, 9f
	add	x0, x0, #1
	subs	x1, x1, #1
	b.ne	1b
2:	mov	x0, #0
	ret
9:	mov	x0, x1
	ret
SYM_FUNC_END(__arch_clear_user)

/* long __arch_strncpy_from_user(char *dst, const char __user *src, long count)
 * Copies up to count bytes including the NUL. Returns the length of the string (without
 * the NUL), count if no NUL was found in count bytes, or -EFAULT. */
SYM_FUNC_START(__arch_strncpy_from_user)
	mov	x3, #0
	cmp	x2, #0
	b.le	2f
1:	ldrb	w4, [x1, x3]			/* user */
	_asm_extable_uaccess 1b, 9f
	strb	w4, [x0, x3]
	cbz	w4, 2f
	add	x3, x3, #1
	cmp	x3, x2
	b.lt	1b
2:	mov	x0, x3
	ret
9:	mov	x0, #-EFAULT
	ret
SYM_FUNC_END(__arch_strncpy_from_user)
