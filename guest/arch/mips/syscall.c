/* The o32 system-call entry and table. Counterpart of arch/mips/kernel/scall32-o32.S
 * (handle_sys: its work is done here in C, do_syscall, called by entry.S's handle_sys stub with
 * the saved registers; and sys_call_table, generated from syscall_o32.tbl in Linux) and
 * arch/mips/kernel/syscall.c (mips_mmap, mips_mmap2, the save_static_function stub __sys_clone).
 *
 * The convention, as on Linux: the number in v0 (4000 + n), arguments in a0-a3 and, from the
 * fifth on, in the user's stack at sp+16, sp+20, sp+24, sp+28 (the o32 C calling convention, so
 * the table's sys_* functions are called with exactly those words); the result in v0 with a3 = 0,
 * or the positive errno in v0 with a3 = 1; the return goes to the instruction after the syscall
 * (epc + 4). */
#include "kernel.h"
#include "syscalls.h"
#include "unistd.h"
#include "sched.h"
#include "uaccess.h"
#include <asm/ptrace.h>
#include <asm/memory.h>
#include "arch.h"

#define EMAXERRNO	1133	/* MIPS's largest errno (EDQUOT) */

/* Declarations of every table entry (their own prototypes are the SYSCALL_DEFINEs'). */
#define __SYSCALL_DECL(nr, entry) asmlinkage long entry();
SYSCALL_LIST(__SYSCALL_DECL)

/* Numbers this kernel does not implement (kernel/sys_ni.c). */
asmlinkage noinline long sys_ni_syscall(void)
{
	return -ENOSYS;
}

#define __SYSCALL_ENTRY(nr, entry) [(nr) - __NR_O32_Linux] = (syscall_fn_t)entry,

/* GCC's range initializer fills every slot first; the listed calls then override theirs. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
const syscall_fn_t sys_call_table[__NR_O32_Linux_syscalls] = {
	[0 ... __NR_O32_Linux_syscalls - 1] = (syscall_fn_t)sys_ni_syscall,
	SYSCALL_LIST(__SYSCALL_ENTRY)
};
#pragma GCC diagnostic pop

asmlinkage noinline void do_syscall(struct pt_regs *regs)
{
	unsigned long nr = regs->regs[2];
	unsigned long usp = regs->regs[29];
	unsigned long stack_args[4];
	long ret;

	regs->cp0_epc += 4;			/* skip syscall on return */
	regs->regs[26] = regs->regs[7];		/* save a3 for syscall restarting */
	current->thread_info.syscall = nr;

	/* More than four arguments: the user stack's words 5..8. Linux keeps the kernel a little
	 * above the top of user space so that this check of sp is enough (bad_stack); a word that
	 * cannot be read is 0 (bad_stack_a4..a7). */
	if ((long)(usp + 32) < 0) {
		regs->regs[2] = EFAULT;
		regs->regs[7] = 1;		/* set error flag */
		return;
	}
	copy_from_user(stack_args, (const void __user *)(usp + 16), sizeof(stack_args));

	if (nr - __NR_O32_Linux >= __NR_O32_Linux_syscalls) {
		/* illegal_syscall: the system call does not exist in this kernel */
		regs->regs[2] = ENOSYS;
		regs->regs[7] = 1;
		return;
	}
	ret = sys_call_table[nr - __NR_O32_Linux](regs->regs[4], regs->regs[5], regs->regs[6],
						 regs->regs[7], stack_args[0], stack_args[1],
						 stack_args[2], stack_args[3]);

	if ((unsigned long)ret > (unsigned long)(-EMAXERRNO - 1)) {	/* error? */
		regs->regs[7] = 1;		/* set error flag */
		regs->regs[0] = nr;		/* save it for syscall restarting */
		ret = -ret;
	} else {
		regs->regs[7] = 0;
	}
	regs->regs[2] = ret;			/* result */
}

/* mmap with a byte offset, which must be page-aligned. */
SYSCALL_DEFINE6(mips_mmap, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, unsigned long, fd, off_t, offset)
{
	if (offset & ~PAGE_MASK)
		return -EINVAL;
	return ksys_mmap_pgoff(addr, len, prot, flags, fd, offset >> PAGE_SHIFT);
}

/* mmap2: the offset in 4096-byte units, whatever the page size. */
SYSCALL_DEFINE6(mips_mmap2, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, unsigned long, fd, unsigned long, pgoff)
{
	if (pgoff & (~PAGE_MASK >> 12))
		return -EINVAL;
	return ksys_mmap_pgoff(addr, len, prot, flags, fd, pgoff >> (PAGE_SHIFT - 12));
}

/* save_static_function(sys_clone): Linux's handle_sys saves only some registers, so the entry
 * of a call that copies the whole register set first saves s0-s7 and fp into the pt_regs. This
 * kernel's entry saved them all already: __sys_clone only goes on to sys_clone. */
__asm__(".text\n\t"
	".globl\t__sys_clone\n\t"
	".align\t2\n\t"
	".type\t__sys_clone, @function\n\t"
	".ent\t__sys_clone, 0\n"
	"__sys_clone:\n\t"
	".set\tpush\n\t"
	".set\tnoreorder\n\t"
	"j\tsys_clone\n\t"
	" nop\n\t"
	".set\tpop\n\t"
	".end\t__sys_clone\n\t"
	".size\t__sys_clone, . - __sys_clone");
