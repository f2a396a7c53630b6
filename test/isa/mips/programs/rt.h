/* Freestanding runtime for the MIPS oracle programs (o32, big-endian): the ILP32 types, the
 * write/exit system calls, the arch-independent part (../../programs/rt-common.h: libc functions
 * GCC may call, buffered output), 32- and 64-bit hex output and operands, and _start.
 * Each program is one translation unit that includes this header once.
 * No Linux counterpart (the system-call convention is that of arch/mips/kernel/scall32-o32.S). */
#ifndef RT_H
#define RT_H

typedef unsigned long long u64;
typedef long long s64;
typedef __SIZE_TYPE__ size_t;

/* o32 system call: number in $v0, arguments in $a0..$a3; result in $v0, $a3 = 1 on error.
 * The kernel may clobber the caller-saved registers, so they are all listed. */
static long syscall3(long nr, long a, long b, long c)
{
	register long v0 __asm__("$2") = nr;
	register long a0 __asm__("$4") = a;
	register long a1 __asm__("$5") = b;
	register long a2 __asm__("$6") = c;
	register long a3 __asm__("$7");
	__asm__ volatile("syscall"
			 : "+r"(v0), "=r"(a3)
			 : "r"(a0), "r"(a1), "r"(a2)
			 : "memory", "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo");
	return a3 ? -v0 : v0;
}

#define NR_exit 4001
#define NR_write 4004
#define NR_set_thread_area 4283

static long sys_write(long fd, const void *buf, unsigned long n)
{
	return syscall3(NR_write, fd, (long)buf, (long)n);
}

static __attribute__((noreturn)) void sys_exit(long code)
{
	syscall3(NR_exit, code, 0, 0);
	for (;;)
		;
}

#include "rt-common.h"

static void hex64(u64 v)
{
	hex32((u32)(v >> 32));
	hex32((u32)v);
}

/* Labelled lines: "name value\n". */
static void show(const char *name, u32 v)
{
	puts_(name);
	putch(' ');
	hex32(v);
	putch('\n');
}

static void show64(const char *name, u64 v)
{
	puts_(name);
	putch(' ');
	hex64(v);
	putch('\n');
}

/* Values the compiler cannot see through. */
static inline u32 opaque(u32 x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

static inline u64 opaque64(u64 x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

/* Interesting 32-bit operands: zero, small, sign boundaries of every width, patterns. */
static const u32 VALS[] = {
	0x0, 0x1, 0x2, 0x3, 0x7, 0x1f, 0x20, 0x21, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
	0x10000, 0x12345678, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x55555555,
	0xaaaaaaaa, 0xdeadbeef, 0xfedcba98, 0xffff8000, 0xffffff80, 0x0000ffff, 0x00ff00ff, 0xcafef00d,
	0x3b9aca00,
};
#define NVALS (sizeof(VALS) / sizeof(VALS[0]))

static u32 checksum;
static void mix(u32 v)
{
	checksum = (checksum ^ v) * 0x01000193u + 0x9e3779b9u;
	checksum ^= checksum >> 15;
}

/* The process entry: $sp points at argc. Set $gp for small-data accesses, leave the o32 argument
 * save area, call rt_start, exit with its result. */
__asm__(".text\n"
	".globl _start\n"
	".type _start, @function\n"
	".set push\n"
	".set noreorder\n"
	"_start:\n"
	"	lui $28, %hi(_gp)\n"
	"	addiu $28, $28, %lo(_gp)\n"
	"	move $30, $0\n"
	"	addiu $29, $29, -32\n"
	"	jal rt_start\n"
	"	nop\n"
	"	move $4, $2\n"
	"	li $2, 4001\n"
	"	syscall\n"
	"1:	b 1b\n"
	"	nop\n"
	".set pop\n"
	".size _start, .-_start\n");

#endif
