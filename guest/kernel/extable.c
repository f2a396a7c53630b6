/* Searching the exception table. Counterpart of kernel/extable.c and lib/extable.c. An entry's
 * instruction address is relative to the entry where the arch says so (<asm/extable.h>
 * ARCH_HAS_RELATIVE_EXTABLE: arm64) and absolute otherwise (mips); either way the linker keeps
 * them in the order of the routines that own them, so the table is already sorted. */
#include "kernel.h"
#include <asm/extable.h>

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

static inline unsigned long ex_to_insn(const struct exception_table_entry *x)
{
#ifdef ARCH_HAS_RELATIVE_EXTABLE
	return (unsigned long)&x->insn + x->insn;
#else
	return x->insn;
#endif
}

noinline const struct exception_table_entry *search_exception_tables(unsigned long addr)
{
	const struct exception_table_entry *lo = __start___ex_table;
	const struct exception_table_entry *hi = __stop___ex_table;

	/* Binary search, as lib/extable.c's search_extable(). */
	while (lo < hi) {
		const struct exception_table_entry *mid = lo + (hi - lo) / 2;
		unsigned long insn = ex_to_insn(mid);

		if (addr < insn)
			hi = mid;
		else if (addr > insn)
			lo = mid + 1;
		else
			return mid;
	}
	return NULL;
}
