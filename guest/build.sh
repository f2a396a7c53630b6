#!/usr/bin/env bash
# Builds the guest kernel image and the user programs for every supported architecture with
# Debian's cross compilers, reproducibly: the same sources and the same compiler (Debian 12's
# gcc 12.2) give the same bytes on any machine. No Linux counterpart (the kernel's Makefiles
# and scripts/ do this for Linux).
#
#   guest/build.sh [OUTDIR [ARCH...]]
#
# OUTDIR defaults to guest/images; only a build of every arch into the default place rewrites
# guest/images/SHA256SUMS, which the committed images are checked against
# (test/guest/build.test.ts rebuilds each arch into a temporary OUTDIR and compares). ARCHs
# (arm64, mips) build only those; the default is all of ARCHES.
#
# Output, per arch:  OUTDIR/<arch>/vmlinux           the kernel (ELF, with .symtab and .BTF)
#                    OUTDIR/<arch>/user/<name>.elf   the static user programs of guest/user/
#
# The kernel carries its own type information as BTF, made the way Linux's scripts/link-vmlinux.sh
# makes it (CONFIG_DEBUG_INFO_BTF): the C sources are compiled with DWARF (-g), a first link
# (.tmp_vmlinux.btf) goes through pahole -J (Debian's `dwarves`), the .BTF section it adds is cut
# out into an object of its own, and the final link places it in the read-only data between
# __start_BTF and __stop_BTF, where the kernel (src/kernel/tracing-glue.ts) finds it. The DWARF
# itself is dropped from the final image (ld -S). BTF holds types only, no addresses, so the
# first link's BTF is the final image's.
#
# To add an architecture: a guest/arch/<arch>/ directory (head.S, entry.S, vmlinux.lds,
# include/asm/*.h, include/uapi/asm/*.h, lib/*, *.c), guest/user/lib/arch/<arch>/ (crt0.S,
# syscall_arch.h, and bits/*.h where its numbers differ from guest/user/lib/arch/generic/bits),
# and an arch_<arch> function below setting CROSS, the flag arrays, USER_LIB_SRCS and the ELF byte
# order; then list it in ARCHES.
set -euo pipefail

export LC_ALL=C
export TZ=UTC
export SOURCE_DATE_EPOCH=0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEFAULT_OUT=$ROOT/guest/images
# OUTDIR is relative to the caller's directory; everything else to the repository.
OUT=${1:-$DEFAULT_OUT}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
cd "$ROOT"

ARCHES=(arm64 mips)

# ---- per-architecture settings ---------------------------------------------------------------

arch_arm64() {
	CROSS=aarch64-linux-gnu-
	# Kernel: no FP/SIMD registers (as Linux), no outlined atomics (no libgcc helpers that
	# probe CPU features at run time), no pointer authentication, x18 reserved as in Linux.
	KERNEL_ARCH_CFLAGS=(-march=armv8-a -mabi=lp64 -mgeneral-regs-only -mno-outline-atomics
		-mbranch-protection=none -ffixed-x18)
	USER_ARCH_CFLAGS=(-march=armv8-a -mabi=lp64 -mgeneral-regs-only -mno-outline-atomics
		-mbranch-protection=none)
	USER_LIB_SRCS=()
	LDS=guest/arch/arm64/vmlinux.lds
	ELF_BIG_ENDIAN=0
}

arch_mips() {
	CROSS=mips-linux-gnu-
	# MIPS32r2, o32, big-endian. Kernel as Linux's arch/mips/Makefile builds it: no PIC and no
	# abicalls (-G 0: no small-data section, no $gp), no FP (-msoft-float, and the assembler
	# told so), trap instructions for the assembler's own checks, no divide-by-zero checks.
	# 64-bit division is guest/arch/mips/lib/libgcc.c's (Debian's libgcc is PIC, hard-float).
	KERNEL_ARCH_CFLAGS=(-march=mips32r2 -mabi=32 -EB -G 0 -mno-abicalls -mno-shared
		-msoft-float -Wa,-msoft-float -Wa,--trap -mno-check-zero-division)
	# User programs: static, non-PIC o32 executables; no FP registers either.
	USER_ARCH_CFLAGS=(-march=mips32r2 -mabi=32 -EB -G 0 -mno-abicalls -msoft-float
		-mno-check-zero-division)
	# The kernel's 64-bit division, compiled into the programs' C library as well (one source).
	USER_LIB_SRCS=(guest/arch/mips/lib/libgcc.c)
	LDS=guest/arch/mips/vmlinux.lds
	ELF_BIG_ENDIAN=1
}

# ---- common flags ----------------------------------------------------------------------------

COMMON_CFLAGS=(
	-O2 -std=gnu11 -ffreestanding -nostdlib -nostdinc -fno-pic -fno-PIE
	-fno-stack-protector -fno-common -fno-strict-aliasing -fno-delete-null-pointer-checks
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-ident
	# Keeps gcc from turning the byte loops of memcpy/memset into calls to themselves.
	-fno-tree-loop-distribute-patterns
	"-ffile-prefix-map=$ROOT=."
	-Wall -Werror
)

# As Linux with CONFIG_FRAME_POINTER: x29 frame records, no sibling calls, so every named
# function really calls the next one and backtraces are complete.
# -g: DWARF for pahole, which turns it into the kernel's BTF (below); it does not change the code.
KERNEL_CFLAGS=(-fno-omit-frame-pointer -fno-optimize-sibling-calls -g)

USER_CFLAGS=(-ffunction-sections -fdata-sections)

build_kernel() {
	local arch=$1 objdir=$2 out=$3
	# As Linux's: the kernel's headers, then the uapi ones it shares with the C library.
	local incs=(-Iguest/include "-Iguest/arch/$arch/include" "-Iguest/arch/$arch/include/uapi"
		-Iguest/include/uapi)
	local compiler
	compiler=$("${CROSS}gcc" --version | head -n 1)
	local defs=("-DLINUX_COMPILER=\"$compiler\"")
	local srcs=() objs=() src obj

	mapfile -t srcs < <(find "guest/arch/$arch" guest/kernel guest/drivers -name '*.[cS]' | sort)
	for src in "${srcs[@]}"; do
		# Objects mirror the source tree: an assembler object's name is its symbol-table FILE.
		obj="$objdir/${src%.*}.o"
		mkdir -p "$(dirname "$obj")"
		case "$src" in
		*.S)
			"${CROSS}gcc" "${COMMON_CFLAGS[@]}" "${KERNEL_ARCH_CFLAGS[@]}" -D__ASSEMBLY__ \
				"${incs[@]}" -c "$src" -o "$obj"
			;;
		*.c)
			"${CROSS}gcc" "${COMMON_CFLAGS[@]}" "${KERNEL_ARCH_CFLAGS[@]}" \
				"${KERNEL_CFLAGS[@]}" "${defs[@]}" "${incs[@]}" -c "$src" -o "$obj"
			;;
		esac
		objs+=("$obj")
	done

	local ldflags=(-nostdlib --build-id=none -z noexecstack -z norelro -z max-page-size=4096
		--no-warn-rwx-segments -T "$LDS")
	local libgcc
	libgcc=$("${CROSS}gcc" -print-libgcc-file-name)

	# The first link, with DWARF, for pahole.
	"${CROSS}ld" "${ldflags[@]}" -o "$objdir/.tmp_vmlinux.btf" "${objs[@]}" "$libgcc"
	gen_btf "$objdir/.tmp_vmlinux.btf" "$objdir/.btf.vmlinux.bin.o" "$ELF_BIG_ENDIAN"

	# The image: the same objects and the BTF object, without the DWARF.
	"${CROSS}ld" "${ldflags[@]}" -S -o "$out/vmlinux" "${objs[@]}" "$objdir/.btf.vmlinux.bin.o" "$libgcc"
}

# gen_btf of scripts/link-vmlinux.sh: pahole adds .BTF to the linked file; objcopy keeps only that
# section (made allocatable, no symbols) and the ELF type becomes ET_REL so that ld takes it as an
# input object. Single-threaded pahole: its output is the same on every run.
gen_btf() {
	local vmlinux=$1 btf_data=$2 big_endian=$3
	LLVM_OBJCOPY="${CROSS}objcopy" pahole -J "$vmlinux"
	"${CROSS}objcopy" --only-section=.BTF --set-section-flags .BTF=alloc,readonly \
		--strip-all "$vmlinux" "$btf_data" 2>/dev/null
	# e_type (offset 16, in the ELF's byte order) = ET_REL.
	if [ "$big_endian" = 1 ]; then
		printf '\0\1' | dd of="$btf_data" conv=notrunc bs=1 seek=16 status=none
	else
		printf '\1\0' | dd of="$btf_data" conv=notrunc bs=1 seek=16 status=none
	fi
}

build_user() {
	local arch=$1 objdir=$2 out=$3
	# The arch's own headers first, then the generic ones (bits/*.h, as musl's arch/generic),
	# then the kernel's uapi headers (<asm/errno.h>, <asm/stat.h>, <linux/in.h>...).
	local incs=(-isystem guest/user/lib/include "-Iguest/user/lib/arch/$arch"
		-Iguest/user/lib/arch/generic -isystem "guest/arch/$arch/include/uapi"
		-isystem guest/include/uapi)
	local cflags=("${COMMON_CFLAGS[@]}" "${USER_ARCH_CFLAGS[@]}" "${USER_CFLAGS[@]}" "${incs[@]}")
	local libsrcs=() libobjs=() progs=() src obj name

	mkdir -p "$objdir/user" "$out/user"
	mapfile -t libsrcs < <(find guest/user/lib "guest/user/lib/arch/$arch" -maxdepth 1 \
		-name '*.[cS]' | sort)
	libsrcs+=("${USER_LIB_SRCS[@]}")
	for src in "${libsrcs[@]}"; do
		# Under user/: a kernel source built again for the C library keeps its kernel object.
		obj="$objdir/user/${src%.*}.o"
		mkdir -p "$(dirname "$obj")"
		"${CROSS}gcc" "${cflags[@]}" -c "$src" -o "$obj"
		libobjs+=("$obj")
	done
	# The C library as an archive, so that each program links only what it uses.
	# D: deterministic (no timestamps, uids or modes in the members' headers).
	rm -f "$objdir/user/libc.a"
	"${CROSS}ar" rcsD "$objdir/user/libc.a" "${libobjs[@]}"

	mapfile -t progs < <(find guest/user -maxdepth 1 -name '*.c' | sort)
	for src in "${progs[@]}"; do
		name=$(basename "$src" .c)
		obj="$objdir/${src%.*}.o"
		mkdir -p "$(dirname "$obj")"
		"${CROSS}gcc" "${cflags[@]}" -c "$src" -o "$obj"
		"${CROSS}gcc" "${cflags[@]}" -static -no-pie -e _start -Wl,--build-id=none \
			-Wl,--gc-sections -Wl,-z,noexecstack -Wl,-z,max-page-size=4096 -o "$out/user/$name.elf" \
			"$obj" "$objdir/user/libc.a" -lgcc
	done
}

# Only the ARCHs asked for, if any (not into guest/images: its SHA256SUMS covers every arch).
if [ $# -gt 1 ]; then
	if [ "$OUT" = "$DEFAULT_OUT" ]; then
		echo "build.sh: guest/images and its SHA256SUMS are only rebuilt for every arch" >&2
		exit 1
	fi
	for arch in "${@:2}"; do
		if ! declare -F "arch_$arch" >/dev/null; then
			echo "build.sh: unknown arch $arch (known: ${ARCHES[*]})" >&2
			exit 1
		fi
	done
	ARCHES=("${@:2}")
fi
WRITE_SUMS=0
if [ "$OUT" = "$DEFAULT_OUT" ]; then
	WRITE_SUMS=1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Everything is built in $WORK/out first and only then moved into OUTDIR, so OUTDIR never holds a
# half-built set of images.
for arch in "${ARCHES[@]}"; do
	"arch_$arch"
	if ! command -v "${CROSS}gcc" >/dev/null; then
		echo "build.sh: ${CROSS}gcc not found (apt-get install gcc-${CROSS%-})" >&2
		exit 1
	fi
	if ! command -v pahole >/dev/null; then
		echo "build.sh: pahole not found (apt-get install dwarves)" >&2
		exit 1
	fi
	mkdir -p "$WORK/$arch" "$WORK/out/$arch"
	build_kernel "$arch" "$WORK/$arch" "$WORK/out/$arch"
	build_user "$arch" "$WORK/$arch" "$WORK/out/$arch"
done

if [ "$WRITE_SUMS" = 1 ]; then
	(
		cd "$WORK/out"
		find "${ARCHES[@]}" -type f | sort | xargs sha256sum
	) >"$WORK/out/SHA256SUMS"
fi
for arch in "${ARCHES[@]}"; do
	rm -rf "${OUT:?}/$arch"
	mv "$WORK/out/$arch" "$OUT/$arch"
done
if [ "$WRITE_SUMS" = 1 ]; then
	mv "$WORK/out/SHA256SUMS" "$OUT/SHA256SUMS"
fi
