/* Oracle program: 32-bit integer arithmetic over pairs of interesting operands: add/sub/logic,
 * comparisons (slt/sltu, conditional moves), shifts by constants and by registers,
 * multiplication (mul, mult/multu high words, madd/msub accumulation), division and remainder,
 * and the cases where MIPS does not trap: division by zero and INT_MIN / -1 (results as QEMU).
 * No Linux counterpart. */
#include "rt.h"

static NOINLINE void pairs(u32 a, u32 b)
{
	s32 sa = (s32)a, sb = (s32)b;
	mix(a + b);
	mix(a - b);
	mix(a & b);
	mix(a | b);
	mix(a ^ b);
	mix(~(a | b));
	mix(sa < sb);
	mix(a < b);
	mix(sa < 0x1234);
	mix(a < 0xffff8000u);
	mix(a == b ? a : b);
	mix(b ? a : 7);
	mix(sa > sb ? sa : sb);
	mix(a << (b & 31));
	mix(a >> (b & 31));
	mix((u32)(sa >> (b & 31)));
	mix(a * b);
	mix((u32)(((s64)sa * sb) >> 32));
	mix((u32)(((u64)a * b) >> 32));
	if (b) {
		mix(a / b);
		mix(a % b);
	}
	if (sb && !(sa == (s32)0x80000000 && sb == -1)) {
		mix((u32)(sa / sb));
		mix((u32)(sa % sb));
	}
}

static NOINLINE void consts(u32 a)
{
	s32 s = (s32)a;
	show("addi", a + 0x7fff);
	show("subi", a - 0x8000);
	show("andi", a & 0xf0f0);
	show("ori", a | 0x8001);
	show("xori", a ^ 0xffff);
	show("lui", a ^ 0x12340000);
	show("sll", a << 7);
	show("srl", a >> 13);
	show("sra", (u32)(s >> 19));
	show("slti", s < -5);
	show("sltiu", a < 100);
	show("mul7", a * 7);
	show("mul1000", a * 1000);
	show("div10", a / 10);
	show("mod10", a % 10);
	show("sdiv7", (u32)(s / 7));
	show("smod7", (u32)(s % 7));
	show("neg", -a);
	show("not", ~a);
}

/* mult/multu then madd/msub on HI:LO, with values from registers. */
static NOINLINE s64 dot(const s32 *x, const s32 *y, int n)
{
	s64 acc = 0;
	for (int i = 0; i < n; i++)
		acc += (s64)x[i] * y[i];
	return acc;
}

static NOINLINE u64 udot(const u32 *x, const u32 *y, int n)
{
	u64 acc = 0x123456789ull;
	for (int i = 0; i < n; i++)
		acc += (u64)x[i] * y[i];
	return acc;
}

static NOINLINE s64 sdiff(const s32 *x, const s32 *y, int n)
{
	s64 acc = 1000;
	for (int i = 0; i < n; i++)
		acc -= (s64)x[i] * y[i];
	return acc;
}

/* The instructions themselves, so every optimisation level executes them. */
static void muldiv_asm(u32 a, u32 b)
{
	u32 hi, lo;
	__asm__ volatile("mthi %2\n\tmtlo %3\n\tmadd %4, %5\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(a), "r"(b), "r"(a), "r"(b));
	mix(hi), mix(lo);
	__asm__ volatile("mthi %2\n\tmtlo %3\n\tmaddu %4, %5\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(a), "r"(b), "r"(a), "r"(b));
	mix(hi), mix(lo);
	__asm__ volatile("mthi %2\n\tmtlo %3\n\tmsub %4, %5\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(a), "r"(b), "r"(a), "r"(b));
	mix(hi), mix(lo);
	__asm__ volatile("mthi %2\n\tmtlo %3\n\tmsubu %4, %5\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(a), "r"(b), "r"(a), "r"(b));
	mix(hi), mix(lo);
	/* Division without the compiler's zero check: x/0 and INT_MIN/-1 do not trap on MIPS. */
	__asm__ volatile("mthi %2\n\tmtlo %2\n\tdiv $0, %3, %4\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(0x5555), "r"(a), "r"(b));
	mix(hi), mix(lo);
	__asm__ volatile("mthi %2\n\tmtlo %2\n\tdivu $0, %3, %4\n\tmfhi %0\n\tmflo %1"
			 : "=r"(hi), "=r"(lo) : "r"(0x5555), "r"(a), "r"(b));
	mix(hi), mix(lo);
	/* mul leaves HI and LO alone here (as in QEMU). */
	__asm__ volatile("mthi %2\n\tmtlo %3\n\tmul %1, %4, %5\n\tmfhi %0\n\tmflo %2"
			 : "=r"(hi), "=r"(lo), "+r"(a) : "r"(b), "r"(a), "r"(b));
	mix(hi), mix(lo), mix(a);
}

static void clz_clo(u32 a)
{
	u32 z, o;
	__asm__("clz %0, %1" : "=r"(z) : "r"(a));
	__asm__("clo %0, %1" : "=r"(o) : "r"(a));
	mix(z * 64 + o);
	mix(a ? (u32)__builtin_clz(a) : 99);
	mix((u32)__builtin_clrsb((s32)a));
}

static void add_sub_nooverflow(u32 a, u32 b)
{
	/* add/sub/addi trap only on signed overflow; these operands stay in range. */
	s32 x = (s32)(a >> 2), y = (s32)(b >> 2), r;
	__asm__("add %0, %1, %2" : "=r"(r) : "r"(x), "r"(y));
	mix((u32)r);
	__asm__("sub %0, %1, %2" : "=r"(r) : "r"(x), "r"(y));
	mix((u32)r);
	__asm__("addi %0, %1, -32768" : "=r"(r) : "r"(x));
	mix((u32)r);
}

int main(void)
{
	for (unsigned i = 0; i < NVALS; i++)
		for (unsigned j = 0; j < NVALS; j++) {
			pairs(opaque(VALS[i]), opaque(VALS[j]));
			muldiv_asm(VALS[i], VALS[j]);
			add_sub_nooverflow(VALS[i], VALS[j]);
		}
	show("pairs", checksum);
	checksum = 0;
	for (unsigned i = 0; i < NVALS; i++)
		clz_clo(VALS[i]);
	show("clz", checksum);
	for (unsigned i = 0; i < 6; i++)
		consts(opaque(VALS[i * 5 + 1]));
	s32 x[NVALS], y[NVALS];
	for (unsigned i = 0; i < NVALS; i++) {
		x[i] = (s32)VALS[i];
		y[i] = (s32)VALS[NVALS - 1 - i];
	}
	show64("dot", (u64)dot(x, y, NVALS));
	show64("udot", udot(VALS, (const u32 *)y, NVALS));
	show64("sdiff", (u64)sdiff(x, y, NVALS));
	return (int)(checksum & 0x7f);
}
