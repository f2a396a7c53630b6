/* Oracle program: instructions with immediates: bitfield moves (UBFM/SBFM/BFM and every alias),
 * EXTR/ROR, shifts by constants at their extremes, logical (bitmask) immediates, add/sub
 * immediates with and without the 12-bit shift, move-wide sequences, ADR/ADRP. */
#include "rt.h"

static void sp_(void) { putch(' '); }
static void nl(void) { putch('\n'); }
static void val(u64 v) { mix(v); hex64(v); sp_(); }
static void flg(u64 f) { mix(f); putch("0123456789abcdef"[(f >> 28) & 15]); sp_(); }

#define I1(insn, a)                                                                           \
	do {                                                                                      \
		u64 r_;                                                                               \
		__asm__ volatile(insn : "=&r"(r_) : "r"(a));                                          \
		val(r_);                                                                              \
	} while (0)

/* Read-modify-write destination (BFI/BFXIL/MOVK). */
#define I2(insn, a, d)                                                                        \
	do {                                                                                      \
		u64 r_ = (d);                                                                         \
		__asm__ volatile(insn : "+r"(r_) : "r"(a));                                           \
		val(r_);                                                                              \
	} while (0)

/* With NZCV read back; the operand stays %1 (an in-out copy), the flags go to %2. */
#define IF(insn, a)                                                                           \
	do {                                                                                      \
		u64 r_, f_, t_ = (a);                                                                 \
		__asm__ volatile("msr nzcv, xzr\n\t" insn "\n\tmrs %2, nzcv"                          \
				 : "=&r"(r_), "+r"(t_), "=&r"(f_) : : "cc");                                  \
		val(r_); flg(f_);                                                                     \
	} while (0)

#define X_FIELDS(M) M(0, 1) M(0, 8) M(0, 16) M(0, 32) M(0, 63) M(1, 1) M(1, 63) M(3, 5) M(7, 9) \
	M(15, 17) M(31, 1) M(31, 2) M(31, 33) M(32, 1) M(32, 32) M(33, 7) M(48, 16) M(62, 2) M(63, 1) \
	M(5, 58) M(13, 40) M(0, 64)
#define W_FIELDS(M) M(0, 1) M(0, 8) M(0, 16) M(0, 31) M(1, 31) M(3, 5) M(15, 17) M(31, 1) M(30, 2) \
	M(16, 16) M(7, 20) M(0, 32)

#define STR_(x) #x
#define S(x) STR_(x)

#define X_BF(lsb, w)                                                                          \
	I1("ubfx %0, %1, #" S(lsb) ", #" S(w), a); I1("sbfx %0, %1, #" S(lsb) ", #" S(w), a);      \
	I2("bfxil %0, %1, #" S(lsb) ", #" S(w), a, d);
#define X_BFI(lsb, w)                                                                         \
	I1("ubfiz %0, %1, #" S(lsb) ", #" S(w), a); I1("sbfiz %0, %1, #" S(lsb) ", #" S(w), a);    \
	I2("bfi %0, %1, #" S(lsb) ", #" S(w), a, d);
#define W_BF(lsb, w)                                                                          \
	I1("ubfx %w0, %w1, #" S(lsb) ", #" S(w), a); I1("sbfx %w0, %w1, #" S(lsb) ", #" S(w), a);  \
	I2("bfxil %w0, %w1, #" S(lsb) ", #" S(w), a, d);
#define W_BFI(lsb, w)                                                                         \
	I1("ubfiz %w0, %w1, #" S(lsb) ", #" S(w), a); I1("sbfiz %w0, %w1, #" S(lsb) ", #" S(w), a); \
	I2("bfi %w0, %w1, #" S(lsb) ", #" S(w), a, d);

/* BFI/UBFIZ need lsb + width <= size; filter the table per form. */
#define X_BFI_OK(lsb, w) X_BFI_##lsb##_##w
#define X_BFI_0_1 X_BFI(0, 1)
#define X_BFI_0_8 X_BFI(0, 8)
#define X_BFI_1_63 X_BFI(1, 63)
#define X_BFI_3_5 X_BFI(3, 5)
#define X_BFI_31_33 X_BFI(31, 33)
#define X_BFI_32_32 X_BFI(32, 32)
#define X_BFI_48_16 X_BFI(48, 16)
#define X_BFI_63_1 X_BFI(63, 1)
#define X_BFI_13_40 X_BFI(13, 40)
#define X_BFI_62_2 X_BFI(62, 2)

static NOINLINE void bitfields(u64 a, u64 d)
{
	X_FIELDS(X_BF)
	X_BFI_0_1 X_BFI_0_8 X_BFI_1_63 X_BFI_3_5 X_BFI_31_33 X_BFI_32_32 X_BFI_48_16 X_BFI_63_1
	X_BFI_13_40 X_BFI_62_2
	nl();
	W_FIELDS(W_BF)
	W_BFI(0, 1) W_BFI(1, 31) W_BFI(3, 5) W_BFI(31, 1) W_BFI(16, 16) W_BFI(7, 20) W_BFI(0, 32)
	nl();
	I1("sxtb %0, %w1", a); I1("sxth %0, %w1", a); I1("sxtw %0, %w1", a);
	I1("sxtb %w0, %w1", a); I1("sxth %w0, %w1", a); I1("uxtb %w0, %w1", a); I1("uxth %w0, %w1", a);
	I1("lsl %0, %1, #0", a); I1("lsl %0, %1, #1", a); I1("lsl %0, %1, #31", a); I1("lsl %0, %1, #32", a);
	I1("lsl %0, %1, #33", a); I1("lsl %0, %1, #63", a);
	I1("lsr %0, %1, #0", a); I1("lsr %0, %1, #1", a); I1("lsr %0, %1, #31", a); I1("lsr %0, %1, #32", a);
	I1("lsr %0, %1, #33", a); I1("lsr %0, %1, #63", a);
	I1("asr %0, %1, #0", a); I1("asr %0, %1, #1", a); I1("asr %0, %1, #31", a); I1("asr %0, %1, #32", a);
	I1("asr %0, %1, #33", a); I1("asr %0, %1, #63", a);
	I1("ror %0, %1, #0", a); I1("ror %0, %1, #1", a); I1("ror %0, %1, #31", a); I1("ror %0, %1, #32", a);
	I1("ror %0, %1, #33", a); I1("ror %0, %1, #63", a);
	I1("lsl %w0, %w1, #0", a); I1("lsl %w0, %w1, #1", a); I1("lsl %w0, %w1, #15", a); I1("lsl %w0, %w1, #31", a);
	I1("lsr %w0, %w1, #0", a); I1("lsr %w0, %w1, #1", a); I1("lsr %w0, %w1, #15", a); I1("lsr %w0, %w1, #31", a);
	I1("asr %w0, %w1, #0", a); I1("asr %w0, %w1, #1", a); I1("asr %w0, %w1, #15", a); I1("asr %w0, %w1, #31", a);
	I1("ror %w0, %w1, #0", a); I1("ror %w0, %w1, #1", a); I1("ror %w0, %w1, #16", a); I1("ror %w0, %w1, #31", a);
	I2("extr %0, %1, %0, #1", a, d); I2("extr %0, %1, %0, #31", a, d); I2("extr %0, %1, %0, #32", a, d);
	I2("extr %0, %1, %0, #33", a, d); I2("extr %0, %1, %0, #63", a, d); I2("extr %0, %0, %1, #0", a, d);
	I2("extr %w0, %w1, %w0, #1", a, d); I2("extr %w0, %w1, %w0, #16", a, d); I2("extr %w0, %w1, %w0, #31", a, d);
	I2("extr %w0, %w0, %w1, #0", a, d);
	/* Raw UBFM/SBFM/BFM encodings the aliases above may not reach. */
	I1("ubfm %0, %1, #63, #62", a); I1("sbfm %0, %1, #1, #0", a); I1("sbfm %0, %1, #0, #63", a);
	I1("ubfm %0, %1, #0, #63", a); I1("ubfm %w0, %w1, #0, #31", a); I1("sbfm %w0, %w1, #31, #30", a);
	I2("bfm %0, %1, #63, #63", a, d); I2("bfm %w0, %w1, #16, #15", a, d); I2("bfm %0, %1, #0, #63", a, d);
	nl();
}

static NOINLINE void logical_imm(u64 a)
{
	IF("ands %0, %1, #0xff", a); IF("ands %0, %1, #0x8000000000000000", a);
	IF("ands %w0, %w1, #0x80000001", a); IF("ands %w0, %w1, #0xfffffffe", a);
	IF("tst %1, #0x5555555555555555\n\tmov %0, #0", a); IF("tst %w1, #0x1\n\tmov %0, #0", a);
	I1("and %0, %1, #0xffff", a); I1("and %0, %1, #0xffffffff", a); I1("and %0, %1, #0x5555555555555555", a);
	I1("and %0, %1, #0xaaaaaaaaaaaaaaaa", a); I1("and %0, %1, #0x0f0f0f0f0f0f0f0f", a);
	I1("and %0, %1, #0x3333333333333333", a); I1("and %0, %1, #0x7fffffffffffffff", a);
	I1("orr %0, %1, #0xfffffffffffffffe", a); I1("orr %0, %1, #0x8000000000000000", a);
	I1("orr %0, %1, #0x1", a); I1("orr %0, %1, #0xffff0000ffff0000", a);
	I1("eor %0, %1, #0x00ff00ff00ff00ff", a); I1("eor %0, %1, #0x0000ffff00000000", a);
	I1("eor %0, %1, #0xfffffffffffff000", a); I1("eor %0, %1, #0x7ffffffe", a);
	I1("and %0, %1, #0x1ffe0", a); I1("orr %0, %1, #0xc000000000000003", a);
	I1("eor %0, %1, #0x8000000000000001", a); I1("and %0, %1, #0x0101010101010101", a);
	I1("orr %0, %1, #0x7e7e7e7e7e7e7e7e", a); I1("eor %0, %1, #0xe00000000000003f", a);
	I1("and %w0, %w1, #0xff", a); I1("and %w0, %w1, #0xffff", a); I1("orr %w0, %w1, #0x55555555", a);
	I1("orr %w0, %w1, #0x80000000", a); I1("eor %w0, %w1, #0x7fffffff", a); I1("eor %w0, %w1, #0xf0f0f0f0", a);
	I1("and %w0, %w1, #0x1", a); I1("orr %w0, %w1, #0xc0000003", a); I1("eor %w0, %w1, #0x3c3c3c3c", a);
	I1("mov %0, #0x5555555555555555", a); I1("mov %w0, #0xff00ff00", a); I1("mov %0, #0xffffffff00000000", a);
	nl();
}

static NOINLINE void addsub_imm(u64 a)
{
	I1("add %0, %1, #0", a); I1("add %0, %1, #4095", a); I1("add %0, %1, #1, lsl #12", a);
	I1("add %0, %1, #4095, lsl #12", a); I1("sub %0, %1, #1", a); I1("sub %0, %1, #4095, lsl #12", a);
	I1("add %w0, %w1, #1", a); I1("sub %w0, %w1, #4095", a); I1("add %w0, %w1, #2, lsl #12", a);
	IF("adds %0, %1, #0", a); IF("adds %0, %1, #1", a); IF("subs %0, %1, #0", a); IF("subs %0, %1, #1", a);
	IF("adds %0, %1, #4095, lsl #12", a); IF("subs %0, %1, #7, lsl #12", a);
	IF("adds %w0, %w1, #0", a); IF("adds %w0, %w1, #1", a); IF("subs %w0, %w1, #0", a);
	IF("subs %w0, %w1, #1", a); IF("subs %w0, %w1, #4095, lsl #12", a);
	IF("cmp %1, #0\n\tmov %0, #0", a); IF("cmp %1, #4095\n\tmov %0, #0", a); IF("cmn %1, #1\n\tmov %0, #0", a);
	IF("cmp %w1, #1\n\tmov %w0, #0", a); IF("cmn %w1, #4095, lsl #12\n\tmov %w0, #0", a);
	nl();
}

static NOINLINE void movewide(u64 d)
{
	I2("movk %0, #0x1234", 0, d); I2("movk %0, #0xffff, lsl #16", 0, d);
	I2("movk %0, #0x8000, lsl #32", 0, d); I2("movk %0, #0x0, lsl #48", 0, d);
	I2("movk %w0, #0xabcd", 0, d); I2("movk %w0, #0x8001, lsl #16", 0, d);
}

static NOINLINE void constants(void)
{
	I1("movz %0, #0", 0); I1("movz %0, #0xffff, lsl #48", 0); I1("movz %0, #0x1234, lsl #32", 0);
	I1("movn %0, #0", 0); I1("movn %0, #0xffff, lsl #16", 0); I1("movn %0, #0x8000, lsl #48", 0);
	I1("movz %w0, #0xffff, lsl #16", 0); I1("movn %w0, #0", 0); I1("movn %w0, #0x1234, lsl #16", 0);
	I1("movz %0, #0x1111\n\tmovk %0, #0x2222, lsl #16\n\tmovk %0, #0x3333, lsl #32\n\tmovk %0, #0x4444, lsl #48", 0);
	/* ADR/ADRP relative to the code itself: the difference is layout independent. */
	u64 v;
	__asm__ volatile("adr %0, 1f\n\tadr x9, 2f\n\tsub %0, x9, %0\n\tb 2f\n1:\t.word 0, 0, 0\n2:" : "=&r"(v) : : "x9");
	val(v);
	__asm__ volatile("adr %0, .\n\tadrp x9, .\n\tand %0, %0, #~0xfff\n\tsub %0, %0, x9" : "=&r"(v) : : "x9");
	val(v);
	__asm__ volatile("adrp %0, checksum\n\tadd %0, %0, :lo12:checksum\n\tadr x9, checksum\n\tsub %0, %0, x9" : "=&r"(v) : : "x9");
	val(v);
	nl();
}

/* What GCC makes of C bit manipulation. */
struct packed_bits {
	u64 a : 3, b : 13, c : 1, d : 29, e : 18;
};
struct wbits {
	u32 x : 5, y : 11;
	s32 z : 7, w : 9;
};

static NOINLINE void c_bits(u64 a, u64 b)
{
	struct packed_bits p = {0};
	p.a = a; p.b = b >> 3; p.c = a >> 63; p.d = b * 3; p.e = a ^ b;
	val(p.a); val(p.b); val(p.c); val(p.d); val(p.e);
	u64 raw;
	memcpy(&raw, &p, 8);
	val(raw);
	struct wbits w = {0};
	w.x = a; w.y = b; w.z = (s32)a; w.w = (s32)(b >> 4);
	val(w.x); val(w.y); val((u64)(s64)w.z); val((u64)(s64)w.w);
	val((a >> 5) & 0x1f); val((b & 0xff) << 12); val((u64)((s64)(a << 40) >> 50));
	val((u32)a >> 7 & 0x3ff); val((a & ~0xff0UL) | ((b & 0xff) << 4));
	val((a << 17) | (a >> 47)); val((u32)((u32)a << 9 | (u32)a >> 23));
	val((u64)(s32)a); val((u64)(s16)a); val((u64)(s8)b); val((u64)(u16)a); val((u64)(u8)b);
	val(a & 0xfffffffffffff000UL); val(a | 0x0f0f0f0f0f0f0f0fUL); val(a ^ 0x8000000000000000UL);
	nl();
}

int main(void)
{
	constants();
	for (unsigned i = 0; i < NVALS; i++) {
		u64 a = opaque(VALS[i]);
		u64 d = opaque(VALS[(i * 7 + 3) % NVALS]);
		bitfields(a, d);
		logical_imm(a);
		addsub_imm(a);
		movewide(d);
		for (unsigned j = 0; j < NVALS; j += 3)
			c_bits(a, opaque(VALS[j]));
	}
	show("checksum", checksum);
	return (int)(checksum & 0x7f);
}
