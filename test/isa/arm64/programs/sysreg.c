/* Oracle program: system registers reachable from EL0 whose values do not depend on the CPU
 * model: NZCV round trips, TPIDR_EL0 read/write, TPIDRRO_EL0 (0 for a new process), the
 * virtual counter moving forward, and hints that must behave as NOPs. */
#include "rt.h"

int main(void)
{
	for (unsigned i = 0; i < NVALS; i++) {
		u64 v = VALS[i], r;
		__asm__ volatile("msr tpidr_el0, %1\n\tmrs %0, tpidr_el0" : "=r"(r) : "r"(v));
		show("tpidr", r);
		__asm__ volatile("msr nzcv, %1\n\tmrs %0, nzcv" : "=r"(r) : "r"(v) : "cc");
		show("nzcv", r);
	}
	u64 ro, c0, c1, f;
	__asm__ volatile("mrs %0, tpidrro_el0" : "=r"(ro));
	show("tpidrro", ro);
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(c0));
	for (volatile int i = 0; i < 1000; i++)
		;
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(c1));
	show("counter-moves", c1 > c0);
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	show("cntfrq-nonzero", f != 0);
	__asm__ volatile("hint #0\n\thint #1\n\thint #7\n\thint #20\n\thint #24\n\thint #26\n\thint #31\n\thint #38\n\thint #127" ::: "memory");
	return 3;
}
