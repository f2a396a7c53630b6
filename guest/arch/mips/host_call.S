/* Where a function call made by TypeScript into the guest ends (ABI.md "Function calls from
 * TypeScript into the guest"): TypeScript sets ra to host_call_return, the called function's
 * jr ra lands here, and hypcall HVC_CALL_RETURN hands v0 back. It lives in .kprobes.text so
 * that no probe can be placed on it. No Linux counterpart. */
#include <asm/linkage.h>
#include <asm/break.h>
#include "abi.h"

	.section ".kprobes.text", "ax"
	.set	noreorder

SYM_CODE_START(host_call_return)
	.set	push
	.set	virt
	hypcall	HVC_CALL_RETURN
	.set	pop
	/* TypeScript restores the caller's context; falling through is a bug. */
	break	BRK_BUG
SYM_CODE_END(host_call_return)
