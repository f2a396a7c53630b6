/* Oracle program: loads and stores of every width, signedness and addressing mode: unsigned
 * offset, unscaled (LDUR), pre/post-index with writeback, register offset (LSL/UXTW/SXTW/SXTX),
 * literal (LDR/LDRSW/PRFM), pairs (LDP/STP/LDPSW/LDNP/STNP, all index modes), unprivileged
 * (LDTR/STTR), unaligned and page-crossing accesses, SP-based accesses and XZR operands. */
#include "rt.h"

static void sp_(void) { putch(' '); }
static void nl(void) { putch('\n'); }
static void val(u64 v) { mix(v); hex64(v); sp_(); }

static u8 mem[8 * 4096] __attribute__((aligned(4096)));

static void fill(void)
{
	for (unsigned i = 0; i < sizeof(mem); i++)
		mem[i] = (u8)(i * 37 + 11 + (i >> 8) * 101);
}

static u64 sum_mem(void)
{
	u64 h = 0;
	for (unsigned i = 0; i < sizeof(mem); i += 8) {
		u64 v;
		memcpy(&v, mem + i, 8);
		h = (h ^ v) * 0x100000001b3UL;
	}
	return h;
}

/* Load: value of insn with base register %1 = p. */
#define LD(insn, p)                                                                           \
	do {                                                                                      \
		u64 r_;                                                                               \
		__asm__ volatile(insn : "=&r"(r_) : "r"(p) : "memory");                               \
		val(r_);                                                                              \
	} while (0)

/* Load with an index register %2. */
#define LDX(insn, p, x)                                                                       \
	do {                                                                                      \
		u64 r_;                                                                               \
		__asm__ volatile(insn : "=&r"(r_) : "r"(p), "r"(x) : "memory");                       \
		val(r_);                                                                              \
	} while (0)

/* Writeback load: value and how far the base moved. */
#define LDW(insn, p)                                                                          \
	do {                                                                                      \
		u64 r_;                                                                               \
		u8 *b_ = (p);                                                                         \
		__asm__ volatile(insn : "=&r"(r_), "+r"(b_) : : "memory");                            \
		val(r_); val((u64)(b_ - (p)));                                                        \
	} while (0)

/* Store %1 = v at base %2 = p. */
#define ST(insn, v, p)                                                                        \
	do {                                                                                      \
		__asm__ volatile(insn : : "r"(v), "r"(p) : "memory");                                 \
	} while (0)

#define STX(insn, v, p, x)                                                                    \
	do {                                                                                      \
		__asm__ volatile(insn : : "r"(v), "r"(p), "r"(x) : "memory");                         \
	} while (0)

/* Writeback store: base %0 moves, value %1. */
#define STW(insn, v, p)                                                                       \
	do {                                                                                      \
		u8 *b_ = (p);                                                                         \
		__asm__ volatile(insn : "+r"(b_) : "r"(v) : "memory");                                \
		val((u64)(b_ - (p)));                                                                 \
	} while (0)

static NOINLINE void loads(u8 *p)
{
	LD("ldrb %w0, [%1]", p); LD("ldrb %w0, [%1, #4095]", p); LD("ldrsb %w0, [%1, #1]", p);
	LD("ldrsb %0, [%1, #2]", p); LD("ldrh %w0, [%1, #2]", p); LD("ldrh %w0, [%1, #8190]", p);
	LD("ldrsh %w0, [%1, #4]", p); LD("ldrsh %0, [%1, #6]", p); LD("ldr %w0, [%1, #16380]", p);
	LD("ldr %w0, [%1, #4]", p); LD("ldrsw %0, [%1, #8]", p); LD("ldrsw %0, [%1, #12]", p);
	LD("ldr %0, [%1, #8]", p); LD("ldr %0, [%1, #32760]", p - 32760 + 64);
	LD("ldurb %w0, [%1, #-256]", p + 1024); LD("ldursb %0, [%1, #-1]", p + 1024);
	LD("ldursb %w0, [%1, #255]", p + 1024); LD("ldurh %w0, [%1, #-3]", p + 1024);
	LD("ldursh %0, [%1, #5]", p + 1024); LD("ldursh %w0, [%1, #-255]", p + 1024);
	LD("ldur %w0, [%1, #-7]", p + 1024); LD("ldursw %0, [%1, #9]", p + 1024);
	LD("ldur %0, [%1, #-256]", p + 1024); LD("ldur %0, [%1, #255]", p + 1024);
	LD("ldtr %0, [%1, #8]", p); LD("ldtrb %w0, [%1, #-5]", p + 16); LD("ldtrsh %0, [%1, #2]", p);
	LD("ldtrsw %0, [%1]", p); LD("ldtrsb %w0, [%1, #1]", p); LD("ldtrh %w0, [%1, #3]", p);
	LD("ldtr %w0, [%1, #255]", p);
	/* Unaligned and page-crossing. */
	LD("ldr %0, [%1, #1]", p); LD("ldr %w0, [%1, #3]", p); LD("ldrh %w0, [%1, #1]", p);
	LD("ldur %0, [%1, #-3]", p + 4096); LD("ldur %w0, [%1, #-1]", p + 4096); LD("ldurh %w0, [%1, #-1]", p + 4096);
	LD("ldr xzr, [%1]\n\tmov %0, #7", p);
	LD("prfm pldl1keep, [%1]\n\tprfm pstl2strm, [%1, #64]\n\tprfum pldl3keep, [%1, #-9]\n\tmov %0, #1", p);
	nl();
}

static NOINLINE void indexed(u8 *p)
{
	LDW("ldr %0, [%1, #8]!", p); LDW("ldr %0, [%1], #-16", p); LDW("ldr %w0, [%1, #-4]!", p);
	LDW("ldr %w0, [%1], #255", p); LDW("ldrb %w0, [%1, #1]!", p); LDW("ldrb %w0, [%1], #-256", p);
	LDW("ldrsb %0, [%1, #3]!", p); LDW("ldrsb %w0, [%1], #1", p); LDW("ldrh %w0, [%1, #-2]!", p);
	LDW("ldrsh %0, [%1], #2", p); LDW("ldrsh %w0, [%1, #6]!", p); LDW("ldrsw %0, [%1], #-8", p);
	LDW("ldrsw %0, [%1, #4]!", p);
	nl();
}

static NOINLINE void regoffset(u8 *p, u64 i)
{
	LDX("ldr %0, [%1, %2]", p, i); LDX("ldr %0, [%1, %2, lsl #3]", p, i);
	LDX("ldr %w0, [%1, %w2, uxtw]", p, i); LDX("ldr %w0, [%1, %w2, uxtw #2]", p, i);
	LDX("ldr %0, [%1, %w2, sxtw #3]", p + 512, -i); LDX("ldrb %w0, [%1, %w2, sxtw]", p + 512, -i);
	LDX("ldrb %w0, [%1, %2, lsl #0]", p, i); LDX("ldrsb %0, [%1, %2, sxtx]", p + 64, -i);
	LDX("ldrh %w0, [%1, %2, lsl #1]", p, i); LDX("ldrsh %w0, [%1, %w2, uxtw #1]", p, i);
	LDX("ldrsh %0, [%1, %2, sxtx #1]", p + 256, -i); LDX("ldrsw %0, [%1, %2, lsl #2]", p, i);
	LDX("ldrsw %0, [%1, %w2, sxtw]", p + 100, -i); LDX("ldr %0, [%1, %2, sxtx #3]", p + 512, -i);
	LDX("prfm pldl1keep, [%1, %2]\n\tmov %0, #2", p, i);
	nl();
}

static NOINLINE void literals(void)
{
	u64 v;
	__asm__ volatile("ldr %0, 1f\n\tb 2f\n\t.p2align 3\n1:\t.quad 0x8123456789abcdef\n2:" : "=r"(v));
	val(v);
	__asm__ volatile("ldr %w0, 1f\n\tb 2f\n\t.p2align 2\n1:\t.word 0x89abcdef\n2:" : "=r"(v));
	val(v);
	__asm__ volatile("ldrsw %0, 1f\n\tb 2f\n\t.p2align 2\n1:\t.word 0x80000001\n2:" : "=r"(v));
	val(v);
	__asm__ volatile("ldrsw %0, 1f\n\tb 2f\n\t.p2align 2\n1:\t.word 0x7ffffffe\n2:" : "=r"(v));
	val(v);
	__asm__ volatile("b 2f\n1:\t.word 0x1234567\n2:\tldr %w0, 1b\n\tprfm pldl1keep, 1b" : "=r"(v));
	val(v);
	nl();
}

static NOINLINE void stores(u8 *p, u64 v, u64 i)
{
	ST("strb %w0, [%1]", v, p); ST("strb %w0, [%1, #4095]", v, p); ST("strh %w0, [%1, #2]", v, p);
	ST("strh %w0, [%1, #8190]", v, p + 2); ST("str %w0, [%1, #16]", v, p); ST("str %0, [%1, #24]", v, p);
	ST("sturb %w0, [%1, #-1]", v, p + 200); ST("sturh %w0, [%1, #-255]", v, p + 500);
	ST("stur %w0, [%1, #3]", v, p + 300); ST("stur %0, [%1, #-9]", v, p + 400);
	ST("sttr %0, [%1, #17]", v, p + 600); ST("sttrb %w0, [%1, #-3]", v, p + 700);
	ST("sttrh %w0, [%1]", v, p + 710); ST("sttr %w0, [%1, #5]", v, p + 720);
	ST("str %0, [%1, #1]", v, p + 4090); ST("str %w0, [%1]", v, p + 4093);
	ST("strh %w0, [%1]", v, p + 4095); ST("str xzr, [%1, #800]", v, p); ST("strb wzr, [%1, #801]", v, p);
	STX("str %0, [%1, %2, lsl #3]", v, p + 1024, i); STX("str %w0, [%1, %w2, sxtw #2]", v, p + 1600, -i);
	STX("strh %w0, [%1, %w2, uxtw #1]", v, p + 1800, i); STX("strb %w0, [%1, %2]", v, p + 1900, i);
	STX("strb %w0, [%1, %w2, sxtw]", v, p + 2100, -i);
	STW("str %1, [%0, #16]!", v, p + 2200); STW("str %1, [%0], #-8", v, p + 2300);
	STW("str %w1, [%0, #-4]!", v, p + 2400); STW("strh %w1, [%0], #3", v, p + 2500);
	STW("strb %w1, [%0, #255]!", v, p + 2600); STW("strb %w1, [%0], #-256", v, p + 2700);
	val(sum_mem());
	nl();
}

static NOINLINE void pairs(u8 *p, u64 a, u64 b)
{
	u64 r0, r1;
	u8 *q;
	__asm__ volatile("ldp %0, %1, [%2]" : "=&r"(r0), "=&r"(r1) : "r"(p) : "memory"); val(r0); val(r1);
	__asm__ volatile("ldp %0, %1, [%2, #504]" : "=&r"(r0), "=&r"(r1) : "r"(p) : "memory"); val(r0); val(r1);
	__asm__ volatile("ldp %0, %1, [%2, #-512]" : "=&r"(r0), "=&r"(r1) : "r"(p + 1024) : "memory"); val(r0); val(r1);
	__asm__ volatile("ldp %w0, %w1, [%2, #-256]" : "=&r"(r0), "=&r"(r1) : "r"(p + 1024) : "memory"); val(r0); val(r1);
	__asm__ volatile("ldp %w0, %w1, [%2, #252]" : "=&r"(r0), "=&r"(r1) : "r"(p) : "memory"); val(r0); val(r1);
	__asm__ volatile("ldpsw %0, %1, [%2, #8]" : "=&r"(r0), "=&r"(r1) : "r"(p) : "memory"); val(r0); val(r1);
	__asm__ volatile("ldnp %0, %1, [%2, #16]" : "=&r"(r0), "=&r"(r1) : "r"(p) : "memory"); val(r0); val(r1);
	__asm__ volatile("ldnp %w0, %w1, [%2, #-4]" : "=&r"(r0), "=&r"(r1) : "r"(p + 64) : "memory"); val(r0); val(r1);
	__asm__ volatile("ldp %0, %1, [%2, #8]" : "=&r"(r0), "=&r"(r1) : "r"(p + 4076) : "memory"); val(r0); val(r1);
	q = p + 512;
	__asm__ volatile("ldp %0, %1, [%2, #16]!" : "=&r"(r0), "=&r"(r1), "+r"(q) : : "memory"); val(r0); val(r1); val(q - p);
	__asm__ volatile("ldp %0, %1, [%2], #-32" : "=&r"(r0), "=&r"(r1), "+r"(q) : : "memory"); val(r0); val(r1); val(q - p);
	__asm__ volatile("ldp %w0, %w1, [%2, #-8]!" : "=&r"(r0), "=&r"(r1), "+r"(q) : : "memory"); val(r0); val(r1); val(q - p);
	__asm__ volatile("ldp %w0, %w1, [%2], #8" : "=&r"(r0), "=&r"(r1), "+r"(q) : : "memory"); val(r0); val(r1); val(q - p);
	__asm__ volatile("ldpsw %0, %1, [%2, #-16]!" : "=&r"(r0), "=&r"(r1), "+r"(q) : : "memory"); val(r0); val(r1); val(q - p);
	__asm__ volatile("ldpsw %0, %1, [%2], #24" : "=&r"(r0), "=&r"(r1), "+r"(q) : : "memory"); val(r0); val(r1); val(q - p);
	__asm__ volatile("stp %0, %1, [%2, #32]" : : "r"(a), "r"(b), "r"(p + 3000) : "memory");
	__asm__ volatile("stp %w0, %w1, [%2, #-12]" : : "r"(a), "r"(b), "r"(p + 3100) : "memory");
	__asm__ volatile("stnp %0, %1, [%2, #8]" : : "r"(b), "r"(a), "r"(p + 3200) : "memory");
	__asm__ volatile("stnp %w0, %w1, [%2]" : : "r"(b), "r"(a), "r"(p + 3300) : "memory");
	__asm__ volatile("stp xzr, %0, [%1]" : : "r"(a), "r"(p + 3400) : "memory");
	__asm__ volatile("stp %0, %1, [%2]" : : "r"(a), "r"(b), "r"(p + 4090) : "memory");
	q = p + 3500;
	__asm__ volatile("stp %1, %2, [%0, #-16]!" : "+r"(q) : "r"(a), "r"(b) : "memory"); val(q - p);
	__asm__ volatile("stp %1, %2, [%0], #48" : "+r"(q) : "r"(b), "r"(a) : "memory"); val(q - p);
	__asm__ volatile("stp %w1, %w2, [%0, #8]!" : "+r"(q) : "r"(a), "r"(b) : "memory"); val(q - p);
	__asm__ volatile("stp %w1, %w2, [%0], #-4" : "+r"(q) : "r"(b), "r"(a) : "memory"); val(q - p);
	/* Through SP, as every prologue does. */
	__asm__ volatile("stp %2, %3, [sp, #-32]!\n\tldr %0, [sp, #8]\n\tldp x9, %1, [sp], #32"
			 : "=&r"(r0), "=&r"(r1) : "r"(a), "r"(b) : "x9", "memory");
	val(r0); val(r1);
	__asm__ volatile("sub sp, sp, #64\n\tstr %2, [sp, #56]\n\tstrb %w2, [sp]\n\tldrb %w1, [sp]\n\tldr %0, [sp, #56]\n\tadd sp, sp, #64"
			 : "=&r"(r0), "=&r"(r1) : "r"(b) : "memory");
	val(r0); val(r1);
	val(sum_mem());
	nl();
}

/* What GCC does with ordinary C accesses. */
struct rec {
	u8 b;
	s8 sb;
	u16 h;
	s16 sh;
	u32 w;
	s32 sw;
	u64 x;
	struct rec *next;
};

static NOINLINE u64 walk(struct rec *r, int n, s64 k)
{
	u64 acc = 0;
	for (int i = 0; i < n; i++) {
		acc += r[i].b + (u64)(s64)r[i].sb + r[i].h + (u64)(s64)r[i].sh + r[i].w + (u64)(s64)r[i].sw + r[i].x;
		acc ^= (u64)((s64)r[i].sw * k);
		r[i].x = acc;
		r[i].h = (u16)acc;
	}
	return acc;
}

static struct rec recs[20];

int main(void)
{
	fill();
	for (unsigned i = 0; i < 20; i++) {
		recs[i].b = (u8)VALS[i]; recs[i].sb = (s8)VALS[i + 1]; recs[i].h = (u16)VALS[i + 2];
		recs[i].sh = (s16)VALS[i + 3]; recs[i].w = (u32)VALS[i + 4]; recs[i].sw = (s32)VALS[i + 5];
		recs[i].x = VALS[i + 6]; recs[i].next = &recs[(i + 1) % 20];
	}
	literals();
	for (unsigned i = 0; i < 8; i++) {
		u8 *p = mem + 4096 + i * 57;
		loads(p);
		indexed(p + 512);
		regoffset(p, opaque(VALS[i * 3] & 0x3f));
		stores(mem + i * 3, opaque(VALS[NVALS - 1 - i]), opaque(i * 5 + 1));
		pairs(mem + 4096 + i * 8, opaque(VALS[i + 10]), opaque(VALS[i + 20]));
		show("walk", walk(recs, 20, (s64)opaque(VALS[i + 5])));
	}
	show("checksum", checksum);
	return (int)(checksum & 0x7f);
}
