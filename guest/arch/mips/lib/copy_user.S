/* Copies to and from user memory, with an exception-table entry on every instruction that may
 * touch user memory: if it faults, the TLB/address-error handler -> do_page_fault / do_ade ->
 * fixup_exception resumes at the fixup label, and the routine returns how much was left.
 * Counterpart of arch/mips/lib/memcpy.S (__copy_user), memset.S (__clear_user) and
 * strncpy_user.S (__strncpy_from_user_asm), with the o32 calling convention (Linux's
 * __copy_user passes its count in a2 both ways). No user access is in a branch delay slot, so
 * a fault's EPC is the access itself. */
#include <asm/linkage.h>
#include <asm/regdef.h>
#include <asm/extable.h>

#define EFAULT 14

	.text
	.set	noreorder

/* unsigned long __copy_user(void *to, const void *from, unsigned long n)
 * Either side may be user memory (copy_to_user, copy_from_user). Returns the number of bytes
 * not copied. */
SYM_FUNC_START(__copy_user)
	move	v0, a2			/* bytes left */
	beqz	a2, 9f
	 or	t0, a0, a1
	andi	t0, t0, 3
	bnez	t0, 3f			/* not both word-aligned: byte by byte */
	 nop
1:	sltiu	t0, v0, 4
	bnez	t0, 3f
	 nop
2:	lw	t1, 0(a1)		/* user? */
	_asm_extable_uaccess 2b, 9f
5:	sw	t1, 0(a0)		/* user? */
	_asm_extable_uaccess 5b, 9f
	addiu	a1, a1, 4
	addiu	a0, a0, 4
	b	1b
	 addiu	v0, v0, -4
3:	beqz	v0, 9f
	 nop
4:	lbu	t1, 0(a1)		/* user? */
	_asm_extable_uaccess 4b, 9f
6:	sb	t1, 0(a0)		/* user? */
	_asm_extable_uaccess 6b, 9f
	addiu	a1, a1, 1
	addiu	a0, a0, 1
	b	3b
	 addiu	v0, v0, -1
9:	jr	ra
	 nop
SYM_FUNC_END(__copy_user)

/* unsigned long __clear_user(void __user *addr, unsigned long size)
 * Returns the number of bytes not cleared. */
SYM_FUNC_START(__clear_user)
	move	v0, a1
1:	beqz	v0, 9f
	 nop
2:	sb	zero, 0(a0)		/* user */
	_asm_extable_uaccess 2b, 9f
	addiu	a0, a0, 1
	b	1b
	 addiu	v0, v0, -1
9:	jr	ra
	 nop
SYM_FUNC_END(__clear_user)

/* long __strncpy_from_user_asm(char *dst, const char __user *src, long count)
 * Copies up to count bytes including the NUL. Returns the length of the string (without the
 * NUL), count if no NUL was found in count bytes, or -EFAULT. */
SYM_FUNC_START(__strncpy_from_user_asm)
	blez	a2, 9f
	 move	v0, zero
1:	addu	t0, a1, v0
2:	lbu	t1, 0(t0)		/* user */
	_asm_extable_uaccess 2b, 8f
	addu	t2, a0, v0
	sb	t1, 0(t2)
	beqz	t1, 9f
	 nop
	addiu	v0, v0, 1
	slt	t0, v0, a2
	bnez	t0, 1b
	 nop
9:	jr	ra
	 nop
8:	jr	ra
	 li	v0, -EFAULT
SYM_FUNC_END(__strncpy_from_user_asm)
