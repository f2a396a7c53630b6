/* Early arch setup. Counterpart of arch/arm64/kernel/smp.c's smp_setup_processor_id() (the
 * "Booting Linux on physical CPU" line, with this machine's MPIDR 0 and MIDR, a Cortex-A72 r0p3)
 * and arch/arm64/kernel/setup.c's setup_arch() (nothing to set up: TypeScript has mapped the
 * memory, there is no device tree). */
#include "kernel.h"

void smp_setup_processor_id(void)
{
	printk(KERN_INFO "Booting Linux on physical CPU 0x0000000000 [0x410fd083]\n");
}

void setup_arch(void)
{
}
