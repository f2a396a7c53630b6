#!/usr/bin/env bash
# Builds the guest-kernel test harness: the generic guest kernel C code (guest/kernel/*.c, the
# drivers of guest/drivers) and the arch's system-call table, traps and uaccess routines,
# linked into a static Linux program for that arch with the hypercalls, the UART and the heap
# simulated, to run under qemu-user (qemu-aarch64-static, qemu-mips-static). No Linux
# counterpart (compare the kernel's KUnit running under UML).
#   test/guest/harness/build.sh OUTFILE [ARCH]     ARCH: arm64 (default) or mips
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$ROOT"
OUT=$1
ARCH=${2:-arm64}
COMMON=(-O2 -std=gnu11 -ffreestanding -nostdlib -nostdinc -fno-pic -fno-PIE -fno-stack-protector
	-fno-common -fno-strict-aliasing -fno-delete-null-pointer-checks -fno-asynchronous-unwind-tables
	-fno-tree-loop-distribute-patterns -fno-omit-frame-pointer -fno-optimize-sibling-calls
	-Wall -Werror)
case "$ARCH" in
arm64)
	CC=aarch64-linux-gnu-gcc
	ARCH_FLAGS=(-march=armv8-a -mgeneral-regs-only -mno-outline-atomics)
	# The arch files the generic code needs (not the entry code: the harness calls do_el0_svc).
	ARCH_SRCS=(guest/arch/arm64/syscall.c guest/arch/arm64/sys.c guest/arch/arm64/traps.c
		guest/arch/arm64/setup.c guest/arch/arm64/lib/copy_user.S)
	;;
mips)
	CC=mips-linux-gnu-gcc
	# An ordinary qemu-user program: non-PIC o32, as the kernel is built.
	ARCH_FLAGS=(-march=mips32r2 -mabi=32 -EB -G 0 -mno-abicalls -msoft-float
		-mno-check-zero-division)
	# The arch files the generic code needs. The harness calls do_syscall itself; entry.S is
	# linked only for traps.c's exception_handlers table and never runs.
	ARCH_SRCS=(guest/arch/mips/syscall.c guest/arch/mips/traps.c guest/arch/mips/fault.c
		guest/arch/mips/setup.c guest/arch/mips/lib/libgcc.c guest/arch/mips/lib/copy_user.S
		guest/arch/mips/entry.S)
	;;
*)
	echo "harness/build.sh: unknown arch $ARCH" >&2
	exit 1
	;;
esac
FLAGS=("${COMMON[@]}" "${ARCH_FLAGS[@]}" -Itest/guest/harness/include -Iguest/include
	"-Iguest/arch/$ARCH/include" "-Iguest/arch/$ARCH/include/uapi" -Iguest/include/uapi)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
objs=()
for src in guest/kernel/*.c $(find guest/drivers -name '*.c' | sort) "${ARCH_SRCS[@]}" \
	test/guest/harness/harness.c "test/guest/harness/crt-$ARCH.S"; do
	obj="$WORK/$(echo "$src" | tr / _).o"
	case "$src" in
	*.S) "$CC" "${FLAGS[@]}" -D__ASSEMBLY__ -c "$src" -o "$obj" ;;
	*) "$CC" "${FLAGS[@]}" -c "$src" -o "$obj" ;;
	esac
	objs+=("$obj")
done
"$CC" "${ARCH_FLAGS[@]}" -static -nostdlib -no-pie -e _start -Wl,--build-id=none \
	-Wl,--defsym=harness_heap_end=__heap_start+0x1800000 -o "$OUT" "${objs[@]}" -lgcc
