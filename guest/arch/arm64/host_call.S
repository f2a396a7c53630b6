/* Where a function call made by TypeScript into the guest ends (ABI.md "Function calls from
 * TypeScript into the guest"): TypeScript sets lr to host_call_return, the called function's
 * ret lands here, and hvc #HVC_CALL_RETURN hands x0 back. It lives in .kprobes.text so that no
 * probe can be placed on it. No Linux counterpart. */
#include <asm/linkage.h>
#include <asm/esr.h>
#include "abi.h"

	.section ".kprobes.text", "ax"

SYM_CODE_START(host_call_return)
	hvc	#HVC_CALL_RETURN
	/* TypeScript restores the caller's context; falling through is a bug. */
	brk	#BUG_BRK_IMM
SYM_CODE_END(host_call_return)
