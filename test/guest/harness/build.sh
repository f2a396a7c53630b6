#!/usr/bin/env bash
# Builds the guest-kernel test harness: the generic guest kernel C code (guest/kernel/*.c, the
# drivers of guest/drivers and the
# arm64 system-call table) linked into a static arm64 Linux program with the hypercalls, the
# UART and the heap simulated, to run under qemu-aarch64-static. No Linux counterpart (compare
# the kernel's KUnit running under UML).
#   test/guest/harness/build.sh OUTFILE
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$ROOT"
OUT=$1
CC=aarch64-linux-gnu-gcc
FLAGS=(-O2 -std=gnu11 -ffreestanding -nostdlib -nostdinc -fno-pic -fno-PIE -fno-stack-protector
	-fno-common -fno-strict-aliasing -fno-delete-null-pointer-checks -fno-asynchronous-unwind-tables
	-fno-tree-loop-distribute-patterns -march=armv8-a -mgeneral-regs-only -mno-outline-atomics
	-fno-omit-frame-pointer -fno-optimize-sibling-calls -Wall -Werror
	-Itest/guest/harness/include -Iguest/include -Iguest/arch/arm64/include)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
objs=()
for src in guest/kernel/*.c $(find guest/drivers -name '*.c' | sort) guest/arch/arm64/syscall.c \
	guest/arch/arm64/traps.c test/guest/harness/harness.c; do
	obj="$WORK/$(echo "$src" | tr / _).o"
	"$CC" "${FLAGS[@]}" -c "$src" -o "$obj"
	objs+=("$obj")
done
for src in guest/arch/arm64/lib/copy_user.S test/guest/harness/crt.S; do
	obj="$WORK/$(echo "$src" | tr / _).o"
	"$CC" "${FLAGS[@]}" -D__ASSEMBLY__ -c "$src" -o "$obj"
	objs+=("$obj")
done
"$CC" -static -nostdlib -no-pie -e _start -Wl,--build-id=none \
	-Wl,--defsym=harness_heap_end=__heap_start+0x1800000 -o "$OUT" "${objs[@]}" -lgcc
