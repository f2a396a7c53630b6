/* Freestanding runtime for the arm64 oracle programs: the LP64 types, the write/exit system
 * calls, the arch-independent part (../../programs/rt-common.h: libc functions GCC may call,
 * buffered output), 64-bit hex output and operands, and _start.
 * Each program is one translation unit that includes this header once. */
#ifndef RT_H
#define RT_H

typedef unsigned long u64;
typedef long s64;
typedef unsigned long size_t;

static long sys_write(long fd, const void *buf, unsigned long n)
{
	register long x0 __asm__("x0") = fd;
	register long x1 __asm__("x1") = (long)buf;
	register long x2 __asm__("x2") = (long)n;
	register long x8 __asm__("x8") = 64;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
	return x0;
}

static __attribute__((noreturn)) void sys_exit(long code)
{
	register long x0 __asm__("x0") = code;
	register long x8 __asm__("x8") = 93;
	__asm__ volatile("svc #0" : : "r"(x0), "r"(x8) : "memory");
	for (;;)
		;
}

#include "rt-common.h"

static void hex64(u64 v)
{
	for (int i = 60; i >= 0; i -= 4)
		putch("0123456789abcdef"[(v >> i) & 15]);
}

/* A labelled line: "name value\n". */
static void show(const char *name, u64 v)
{
	puts_(name);
	putch(' ');
	hex64(v);
	putch('\n');
}

/* Values the compiler cannot see through. */
static inline u64 opaque(u64 x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

/* Interesting 64-bit operands: zero, small, sign boundaries of every width, patterns. */
static const u64 VALS[] = {
	0x0, 0x1, 0x2, 0x1f, 0x20, 0x3f, 0x40, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
	0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x123456789abcdef0,
	0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000001, 0xfffffffffffffffe,
	0xffffffffffffffff, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa, 0x00000000deadbeef,
	0xdeadbeef00000000, 0xfedcba9876543210, 0xffffffff80000000, 0x0000000180000001,
};
#define NVALS (sizeof(VALS) / sizeof(VALS[0]))

static u64 checksum;
static void mix(u64 v)
{
	checksum = (checksum ^ v) * 0x100000001b3UL + 0x9e3779b97f4a7c15UL;
	checksum ^= checksum >> 29;
}

__asm__(".text\n"
	".globl _start\n"
	".type _start, %function\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	mov x30, #0\n"
	"	bl rt_start\n"
	"	mov x8, #93\n"
	"	svc #0\n"
	"1:	b 1b\n"
	".size _start, .-_start\n");

#endif
