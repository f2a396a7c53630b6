/* Early arch setup. Counterpart of arch/mips/kernel/setup.c (kernelsp, setup_arch) and
 * cpu-probe.c's cpu_report() (the "CPU0 revision is" line, from the PRId register: a 24K
 * without FPU, "MIPS 24Kc"). TypeScript has mapped the memory; there is no device tree or boot
 * command line. */
#include "kernel.h"
#include "sched.h"
#include <asm/mipsregs.h>
#include <asm/ptrace.h>
#include <asm/asm-offsets.h>
#include "arch.h"

/* The kernel stack an exception from user mode starts on (entry.S's SAVE_ALL): the current
 * task's stack top less 32 bytes, set at boot by head.S and then by TypeScript on every task
 * switch (resume()'s set_saved_sp in Linux). */
unsigned long kernelsp[NR_CPUS];

/* entry.S reads the thread_info flags of current_task at these offsets. */
_Static_assert(offsetof(struct task_struct, thread_info.flags) == TASK_TI_FLAGS,
	       "asm-offsets: TASK_TI_FLAGS");
_Static_assert(offsetof(struct task_struct, thread_info.syscall) == TASK_TI_SYSCALL,
	       "asm-offsets: TASK_TI_SYSCALL");

/* The name cpu_probe() gives the CPU (__cpu_name): a 24K without FPU is a 24Kc. */
const char *cpu_name_string(void)
{
	if ((read_c0_prid() & 0xffff00) == (PRID_COMP_MIPS | PRID_IMP_24K))
		return "MIPS 24Kc";
	return "Unknown";
}

/* smp_setup_processor_id(): nothing to say on MIPS (init/main.c's __weak default). */
void smp_setup_processor_id(void)
{
}

void setup_arch(void)
{
	unsigned int prid = read_c0_prid();

	printk(KERN_INFO "CPU0 revision is: %08x (%s)\n", prid, cpu_name_string());
}
