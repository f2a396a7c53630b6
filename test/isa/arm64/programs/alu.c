/* Oracle program: integer arithmetic and logic, flags, shifts, multiply/divide, 1-source ops,
 * over every pair of interesting values, in C (what GCC picks) and in inline assembly (every
 * encoding class, X and W, with the flags read back through NZCV). */
#include "rt.h"

static void sp_(void) { putch(' '); }
static void nl(void) { putch('\n'); }
static void val(u64 v) { mix(v); hex64(v); sp_(); }
static void flg(u64 f) { mix(f); putch("0123456789abcdef"[(f >> 28) & 15]); sp_(); }

/* rd, rn, rm with NZCV read back. */
#define F3(insn, a, b)                                                                        \
	do {                                                                                      \
		u64 r_, f_;                                                                           \
		__asm__ volatile("msr nzcv, xzr\n\t" insn "\n\tmrs %1, nzcv"                          \
				 : "=&r"(r_), "=&r"(f_) : "r"(a), "r"(b) : "cc");                             \
		val(r_); flg(f_);                                                                     \
	} while (0)

/* Same with the carry flag preset to c. */
#define F3C(insn, a, b, c)                                                                    \
	do {                                                                                      \
		u64 r_, f_;                                                                           \
		__asm__ volatile("msr nzcv, %4\n\t" insn "\n\tmrs %1, nzcv"                           \
				 : "=&r"(r_), "=&r"(f_) : "r"(a), "r"(b), "r"((u64)(c) << 29) : "cc");        \
		val(r_); flg(f_);                                                                     \
	} while (0)

#define R3(insn, a, b)                                                                        \
	do {                                                                                      \
		u64 r_;                                                                               \
		__asm__ volatile(insn : "=&r"(r_) : "r"(a), "r"(b));                                  \
		val(r_);                                                                              \
	} while (0)

/* R3 that may use x9/x10 as scratch. */
#define R3S(insn, a, b)                                                                       \
	do {                                                                                      \
		u64 r_;                                                                               \
		__asm__ volatile(insn : "=&r"(r_) : "r"(a), "r"(b) : "x9", "x10");                    \
		val(r_);                                                                              \
	} while (0)

#define R4(insn, a, b, c)                                                                     \
	do {                                                                                      \
		u64 r_;                                                                               \
		__asm__ volatile(insn : "=&r"(r_) : "r"(a), "r"(b), "r"(c));                          \
		val(r_);                                                                              \
	} while (0)

#define R2(insn, a)                                                                           \
	do {                                                                                      \
		u64 r_;                                                                               \
		__asm__ volatile(insn : "=&r"(r_) : "r"(a));                                          \
		val(r_);                                                                              \
	} while (0)

static NOINLINE void c_ops(u64 a, u64 b)
{
	s64 sa = (s64)a, sb = (s64)b;
	u32 wa = (u32)a, wb = (u32)b;
	s32 swa = (s32)wa, swb = (s32)wb;
	val(a + b); val(a - b); val(a * b); val(a & b); val(a | b); val(a ^ b); val(~a); val(-a);
	val(a & ~b); val(a | ~b); val(a ^ ~b);
	val(a << (b & 63)); val(a >> (b & 63)); val((u64)(sa >> (b & 63)));
	val((a << (b & 63)) | (a >> ((64 - (b & 63)) & 63)));
	val(wa + wb); val(wa - wb); val(wa * wb); val(wa << (b & 31)); val(wa >> (b & 31));
	val((u32)(swa >> (b & 31)));
	val(b ? a / b : 0); val(b ? a % b : 0); val(wb ? wa / wb : 0); val(wb ? wa % wb : 0);
	val(sb && !(sa == (s64)0x8000000000000000UL && sb == -1) ? (u64)(sa / sb) : 0);
	val(sb && !(sa == (s64)0x8000000000000000UL && sb == -1) ? (u64)(sa % sb) : 0);
	val(swb && !(swa == (s32)0x80000000 && swb == -1) ? (u32)(swa / swb) : 0);
	val(a < b); val(sa < sb); val(a <= b); val(sa >= sb); val(a == b); val(wa < wb); val(swa > swb);
	val((u64)((unsigned __int128)a * b >> 64));
	val((u64)((__int128)sa * sb >> 64));
	val((u64)((s64)swa * swb)); val((u64)wa * wb);
	val(a + (u64)(s64)swb); val(a - (u64)wb); val(a + (b << 3)); val(a - (b >> 5));
	val(a > b ? a - b : b - a); val(sa < 0 ? -sa : sa); val(a ? a : b);
	val((a & 0xff) + (b & 0xffff)); val((u64)(s8)a + (u64)(s16)b);
	unsigned __int128 big = ((unsigned __int128)a << 64 | b) + ((unsigned __int128)b << 64 | a);
	val((u64)big); val((u64)(big >> 64));
	big = ((unsigned __int128)a << 64 | b) - ((unsigned __int128)b << 64 | a);
	val((u64)big); val((u64)(big >> 64));
	nl();
}

static NOINLINE void flags(u64 a, u64 b)
{
	F3("adds %0, %2, %3", a, b); F3("subs %0, %2, %3", a, b);
	F3("adds %w0, %w2, %w3", a, b); F3("subs %w0, %w2, %w3", a, b);
	F3("ands %0, %2, %3", a, b); F3("ands %w0, %w2, %w3", a, b);
	F3("bics %0, %2, %3", a, b); F3("bics %w0, %w2, %w3", a, b);
	F3C("adcs %0, %2, %3", a, b, 0); F3C("adcs %0, %2, %3", a, b, 1);
	F3C("sbcs %0, %2, %3", a, b, 0); F3C("sbcs %0, %2, %3", a, b, 1);
	F3C("adcs %w0, %w2, %w3", a, b, 0); F3C("adcs %w0, %w2, %w3", a, b, 1);
	F3C("sbcs %w0, %w2, %w3", a, b, 0); F3C("sbcs %w0, %w2, %w3", a, b, 1);
	F3C("adc %0, %2, %3", a, b, 1); F3C("sbc %0, %2, %3", a, b, 0);
	F3C("adc %w0, %w2, %w3", a, b, 1); F3C("sbc %w0, %w2, %w3", a, b, 0);
	F3C("ngcs %0, %2", a, b, 1); F3C("ngc %w0, %w2", a, b, 0);
	F3("negs %0, %2", a, b); F3("negs %w0, %w2", a, b);
	F3("cmp %2, %3\n\tmov %0, #0", a, b); F3("cmn %2, %3\n\tmov %0, #0", a, b);
	F3("cmp %w2, %w3\n\tmov %0, #0", a, b); F3("cmn %w2, %w3\n\tmov %0, #0", a, b);
	F3("tst %2, %3\n\tmov %0, #0", a, b); F3("tst %w2, %w3\n\tmov %0, #0", a, b);
	nl();
}

static NOINLINE void shifted(u64 a, u64 b)
{
	F3("adds %0, %2, %3, lsl #1", a, b); F3("subs %0, %2, %3, lsr #7", a, b);
	F3("adds %0, %2, %3, asr #63", a, b); F3("subs %0, %2, %3, lsl #32", a, b);
	F3("adds %w0, %w2, %w3, lsl #31", a, b); F3("subs %w0, %w2, %w3, asr #5", a, b);
	R3("add %0, %1, %2, lsr #63", a, b); R3("sub %0, %1, %2, asr #32", a, b);
	R3("add %w0, %w1, %w2, lsr #1", a, b); R3("sub %w0, %w1, %w2, lsl #16", a, b);
	R3("neg %0, %2, lsl #4", a, b); R3("neg %w0, %w2, asr #31", a, b);
	F3("cmp %2, %3, lsl #12\n\tmov %0, #1", a, b); F3("cmn %w2, %w3, lsr #3\n\tmov %0, #1", a, b);
	R3("and %0, %1, %2, ror #1", a, b); R3("orr %0, %1, %2, ror #63", a, b);
	R3("eor %0, %1, %2, lsr #32", a, b); R3("bic %0, %1, %2, asr #17", a, b);
	R3("orn %0, %1, %2, lsl #3", a, b); R3("eon %0, %1, %2, ror #32", a, b);
	R3("orn %0, %1, %2", a, b); R3("eon %0, %1, %2", a, b); R3("bic %0, %1, %2", a, b);
	R3("mvn %0, %2", a, b); R3("mvn %w0, %w2, ror #7", a, b);
	R3("and %w0, %w1, %w2, ror #31", a, b); R3("orr %w0, %w1, %w2, lsl #31", a, b);
	R3("eor %w0, %w1, %w2, asr #1", a, b); R3("bic %w0, %w1, %w2, lsr #16", a, b);
	R3("orn %w0, %w1, %w2", a, b); R3("eon %w0, %w1, %w2, ror #3", a, b);
	F3("ands %0, %2, %3, ror #9", a, b); F3("bics %0, %2, %3, lsl #40", a, b);
	F3("ands %w0, %w2, %w3, asr #30", a, b); F3("bics %w0, %w2, %w3, ror #16", a, b);
	R3("mov %0, %2", a, b); R3("mov %w0, %w2", a, b);
	nl();
}

static NOINLINE void extended(u64 a, u64 b)
{
	R3("add %0, %1, %w2, uxtb", a, b); R3("add %0, %1, %w2, uxth #1", a, b);
	R3("add %0, %1, %w2, uxtw #2", a, b); R3("add %0, %1, %2, uxtx #3", a, b);
	R3("add %0, %1, %w2, sxtb #4", a, b); R3("add %0, %1, %w2, sxth", a, b);
	R3("add %0, %1, %w2, sxtw #1", a, b); R3("add %0, %1, %2, sxtx #2", a, b);
	R3("sub %0, %1, %w2, uxtb #3", a, b); R3("sub %0, %1, %w2, sxth #4", a, b);
	R3("sub %0, %1, %w2, sxtw", a, b); R3("sub %0, %1, %w2, uxtw #4", a, b);
	F3("adds %0, %2, %w3, sxtb", a, b); F3("subs %0, %2, %w3, uxth #2", a, b);
	F3("adds %0, %2, %w3, sxtw #3", a, b); F3("subs %0, %2, %3, sxtx #1", a, b);
	F3("adds %w0, %w2, %w3, uxtb #1", a, b); F3("subs %w0, %w2, %w3, sxth #2", a, b);
	F3("adds %w0, %w2, %w3, uxtw #4", a, b); F3("subs %w0, %w2, %w3, sxtb", a, b);
	R3("add %w0, %w1, %w2, sxtb #2", a, b); R3("sub %w0, %w1, %w2, uxth", a, b);
	F3("cmp %2, %w3, uxtw\n\tmov %0, #2", a, b); F3("cmn %2, %w3, sxtw #1\n\tmov %0, #2", a, b);
	/* SP as the base and destination of the extended form, measured relative to SP. */
	R3S("mov x9, sp\n\tadd x10, sp, %w2, sxtw #3\n\tsub %0, x10, x9", a, b);
	R3S("mov x9, sp\n\tsub x10, sp, %2, uxtx #1\n\tsub %0, x10, x9", a, b);
	R3S("mov x9, sp\n\tsub sp, sp, %w2, uxtb #4\n\tmov x10, sp\n\tsub %0, x9, x10\n\tmov sp, x9", a, b);
	nl();
}

static NOINLINE void regshifts(u64 a, u64 b)
{
	R3("lsl %0, %1, %2", a, b); R3("lsr %0, %1, %2", a, b);
	R3("asr %0, %1, %2", a, b); R3("ror %0, %1, %2", a, b);
	R3("lsl %w0, %w1, %w2", a, b); R3("lsr %w0, %w1, %w2", a, b);
	R3("asr %w0, %w1, %w2", a, b); R3("ror %w0, %w1, %w2", a, b);
	nl();
}

static NOINLINE void muldiv(u64 a, u64 b, u64 c)
{
	R4("madd %0, %1, %2, %3", a, b, c); R4("msub %0, %1, %2, %3", a, b, c);
	R4("madd %w0, %w1, %w2, %w3", a, b, c); R4("msub %w0, %w1, %w2, %w3", a, b, c);
	R4("smaddl %0, %w1, %w2, %3", a, b, c); R4("smsubl %0, %w1, %w2, %3", a, b, c);
	R4("umaddl %0, %w1, %w2, %3", a, b, c); R4("umsubl %0, %w1, %w2, %3", a, b, c);
	R3("smulh %0, %1, %2", a, b); R3("umulh %0, %1, %2", a, b);
	R3("mul %0, %1, %2", a, b); R3("mneg %0, %1, %2", a, b);
	R3("mul %w0, %w1, %w2", a, b); R3("mneg %w0, %w1, %w2", a, b);
	R3("smull %0, %w1, %w2", a, b); R3("umull %0, %w1, %w2", a, b);
	R3("smnegl %0, %w1, %w2", a, b); R3("umnegl %0, %w1, %w2", a, b);
	R3("udiv %0, %1, %2", a, b); R3("sdiv %0, %1, %2", a, b);
	R3("udiv %w0, %w1, %w2", a, b); R3("sdiv %w0, %w1, %w2", a, b);
	nl();
}

static NOINLINE void onesrc(u64 a)
{
	R2("rbit %0, %1", a); R2("rbit %w0, %w1", a);
	R2("rev %0, %1", a); R2("rev %w0, %w1", a);
	R2("rev16 %0, %1", a); R2("rev16 %w0, %w1", a);
	R2("rev32 %0, %1", a);
	R2("clz %0, %1", a); R2("clz %w0, %w1", a);
	R2("cls %0, %1", a); R2("cls %w0, %w1", a);
	val(__builtin_clzll(a | 1)); val(__builtin_ctzll(a | 0x8000000000000000UL));
	val(__builtin_bswap64(a)); val(__builtin_bswap32((u32)a)); val(__builtin_bswap16((u16)a));
	val(__builtin_clrsbll(a));
	val(__builtin_ffsll(a));
	nl();
}

/* Division corner cases the C standard leaves undefined, straight in assembly. */
static NOINLINE void divcorners(void)
{
	u64 m1 = opaque(-1UL), min64 = opaque(0x8000000000000000UL), zero = opaque(0);
	R3("sdiv %0, %1, %2", min64, m1); R3("sdiv %w0, %w1, %w2", opaque(0x80000000UL), m1);
	R3("udiv %0, %1, %2", m1, zero); R3("sdiv %0, %1, %2", min64, zero);
	R3("udiv %w0, %w1, %w2", m1, zero); R3("sdiv %w0, %w1, %w2", m1, zero);
	R3("sdiv %0, %1, %2", opaque(7), opaque(-2UL)); R3("sdiv %0, %1, %2", opaque(-7UL), opaque(2));
	R3("sdiv %w0, %w1, %w2", opaque(-7UL), opaque(2)); R3("udiv %0, %1, %2", m1, opaque(3));
	R3("udiv %0, %1, %2", opaque(0x123456789abcdefUL), opaque(0x100000001UL));
	R3("sdiv %0, %1, %2", opaque(-0x123456789abcdefL), opaque(0x1000000001L));
	nl();
}

int main(void)
{
	for (unsigned i = 0; i < NVALS; i++) {
		u64 a = opaque(VALS[i]);
		onesrc(a);
		for (unsigned j = 0; j < NVALS; j++) {
			u64 b = opaque(VALS[j]);
			c_ops(a, b);
			flags(a, b);
			shifted(a, b);
			extended(a, b);
			regshifts(a, b);
			muldiv(a, b, VALS[(i + j) % NVALS]);
		}
	}
	divcorners();
	show("checksum", checksum);
	return (int)(checksum & 0x7f);
}
