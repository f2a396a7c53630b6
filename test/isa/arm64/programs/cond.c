/* Oracle program: conditions and control flow: every condition code through B.cond, CSEL,
 * CSINC, CSINV, CSNEG, CSET/CSETM and CCMP/CCMN (register and immediate forms); CBZ/CBNZ and
 * TBZ/TBNZ at their bit extremes; direct and indirect calls, switch jump tables, recursion. */
#include "rt.h"

static void sp_(void) { putch(' '); }
static void nl(void) { putch('\n'); }
static void val(u64 v) { mix(v); hex64(v); sp_(); }

#define CONDS14(M) M(eq); M(ne); M(cs); M(cc); M(mi); M(pl); M(vs); M(vc); M(hi); M(ls); M(ge); M(lt); M(gt); M(le);
#define CONDS(M) M(eq); M(ne); M(cs); M(cc); M(mi); M(pl); M(vs); M(vc); M(hi); M(ls); M(ge); M(lt); M(gt); M(le); M(al);

/* All condition-dependent ops for one condition after CMP a, b (X) and CMP w (W). Results are
 * folded into the checksum; one digest per condition is printed. */
#define SEL(cc)                                                                               \
	do {                                                                                      \
		u64 r0, r1, r2, r3, r4, r5, r6, r7, r8;                                              \
		__asm__ volatile("cmp %9, %10\n\t"                                                    \
				 "csel %0, %9, %10, " #cc "\n\t"                                              \
				 "csinc %1, %9, %10, " #cc "\n\t"                                             \
				 "csinv %2, %9, %10, " #cc "\n\t"                                             \
				 "csneg %3, %9, %10, " #cc "\n\t"                                             \
				 "cset %4, " #cc "\n\t"                                                       \
				 "csetm %5, " #cc "\n\t"                                                      \
				 "cmp %w9, %w10\n\t"                                                          \
				 "csel %w6, %w9, %w10, " #cc "\n\t"                                           \
				 "csinc %w7, %w10, %w9, " #cc "\n\t"                                          \
				 "csneg %w8, %w9, %w10, " #cc                                                 \
				 : "=&r"(r0), "=&r"(r1), "=&r"(r2), "=&r"(r3), "=&r"(r4), "=&r"(r5),          \
				   "=&r"(r6), "=&r"(r7), "=&r"(r8) : "r"(a), "r"(b) : "cc");                  \
		u64 s0, s1, s2;                                                                       \
		__asm__ volatile("cmp %w3, %w4\n\tcsinv %w0, %w3, %w4, " #cc "\n\tcinc %1, %3, " #cc  \
				 "\n\tcneg %w2, %w4, " #cc                                                    \
				 : "=&r"(s0), "=&r"(s1), "=&r"(s2) : "r"(a), "r"(b) : "cc");                  \
		u64 h = 0;                                                                            \
		h = (h ^ r0) * 31 + r1; h = (h ^ r2) * 31 + r3; h = (h ^ r4) * 31 + r5;               \
		h = (h ^ r6) * 31 + r7; h = (h ^ r8) * 31 + s0; h = (h ^ s1) * 31 + s2;               \
		val(h);                                                                               \
	} while (0)

/* CCMP/CCMN: first compare a,b; if cc holds compare c,d (or with an immediate), else set nzcv. */
#define CCMP(cc)                                                                              \
	do {                                                                                      \
		u64 f0, f1, f2, f3, f4, f5;                                                           \
		__asm__ volatile("cmp %6, %7\n\tccmp %8, %9, #5, " #cc "\n\tmrs %0, nzcv\n\t"          \
				 "cmp %6, %7\n\tccmn %8, %9, #10, " #cc "\n\tmrs %1, nzcv\n\t"                 \
				 "cmp %w6, %w7\n\tccmp %w8, %w9, #0, " #cc "\n\tmrs %2, nzcv\n\t"              \
				 "cmp %w6, %w7\n\tccmn %w8, %w9, #15, " #cc "\n\tmrs %3, nzcv\n\t"             \
				 "cmp %6, %7\n\tccmp %8, #31, #3, " #cc "\n\tmrs %4, nzcv\n\t"                 \
				 "cmp %w6, %w7\n\tccmn %w8, #1, #12, " #cc "\n\tmrs %5, nzcv"                  \
				 : "=&r"(f0), "=&r"(f1), "=&r"(f2), "=&r"(f3), "=&r"(f4), "=&r"(f5)           \
				 : "r"(a), "r"(b), "r"(c), "r"(d) : "cc");                                    \
		val((f0 >> 28) | (f1 >> 24) | (f2 >> 20) | (f3 >> 16) | (f4 >> 12) | (f5 >> 8));       \
	} while (0)

/* B.cond taken or not. */
#define BR(cc)                                                                                \
	do {                                                                                      \
		u64 t;                                                                                \
		__asm__ volatile("mov %0, #1\n\tcmp %1, %2\n\tb." #cc " 1f\n\tmov %0, #0\n1:"          \
				 : "=&r"(t) : "r"(a), "r"(b) : "cc");                                         \
		taken = taken << 1 | t;                                                               \
	} while (0)

static NOINLINE void conds(u64 a, u64 b, u64 c, u64 d)
{
	u64 taken = 0;
	CONDS14(SEL)
	{
		/* AL and NV both mean "always" in the conditional selects. */
		u64 r0, r1, r2, r3;
		__asm__ volatile("csel %0, %4, %5, al\n\tcsinc %1, %4, %5, nv\n\tcsinv %w2, %w4, %w5, nv\n\tcsneg %3, %5, %4, al"
				 : "=&r"(r0), "=&r"(r1), "=&r"(r2), "=&r"(r3) : "r"(a), "r"(b));
		val(r0 ^ r1 ^ r2 ^ r3);
	}
	nl();
	CONDS(CCMP)
	CONDS(BR)
	__asm__ volatile("cmp %1, %2\n\tb.nv 1f\n\tmov %0, #0\n1:" : "+r"(taken) : "r"(a), "r"(b) : "cc");
	val(taken);
	nl();
}

#define TB(insn)                                                                              \
	do {                                                                                      \
		u64 t;                                                                                \
		__asm__ volatile("mov %0, #1\n\t" insn " 1f\n\tmov %0, #0\n1:" : "=&r"(t) : "r"(a));  \
		bits = bits << 1 | t;                                                                 \
	} while (0)

static NOINLINE void tests(u64 a)
{
	u64 bits = 0;
	TB("cbz %1,"); TB("cbnz %1,"); TB("cbz %w1,"); TB("cbnz %w1,");
	TB("tbz %1, #0,"); TB("tbnz %1, #0,"); TB("tbz %1, #31,"); TB("tbnz %1, #31,");
	TB("tbz %1, #32,"); TB("tbnz %1, #32,"); TB("tbz %1, #63,"); TB("tbnz %1, #63,");
	TB("tbz %w1, #7,"); TB("tbnz %w1, #15,"); TB("tbz %1, #47,"); TB("tbnz %1, #33,");
	val(bits);
	/* What GCC makes of C conditions. */
	s64 s = (s64)a;
	val((a & (1UL << 40)) ? 3 : 4); val(s < 0 ? 1 : 2); val(a == 0 ? 5 : 6); val((u32)a ? 7 : 8);
	val(s > 100 && s < 1000000); val(a > 0xffff || (a & 1)); val(s <= -5 ? (u64)-s : a >> 2);
	nl();
}

/* Indirect calls and jump tables. */
static NOINLINE u64 f_add(u64 x) { return x + 3; }
static NOINLINE u64 f_mul(u64 x) { return x * 7; }
static NOINLINE u64 f_xor(u64 x) { return x ^ 0x5a5a; }
static NOINLINE u64 f_rot(u64 x) { return x << 13 | x >> 51; }
static u64 (*const table[])(u64) = {f_add, f_mul, f_xor, f_rot};

static NOINLINE u64 sw(unsigned k, u64 x)
{
	switch (k) {
	case 0: return x + 1;
	case 1: return x * 3;
	case 2: return x - 9;
	case 3: return x ^ 0xff;
	case 4: return x << 2;
	case 5: return x >> 3;
	case 6: return ~x;
	case 7: return x & 0xf0f0;
	case 8: return x | 0x8000;
	case 9: return x * x;
	case 10: return x / 7;
	case 11: return x % 13;
	default: return 0xdead;
	}
}

static NOINLINE u64 ack(u64 m, u64 n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

static NOINLINE u64 calls(u64 a)
{
	u64 x = a;
	for (unsigned i = 0; i < 40; i++) {
		x = table[(x ^ i) & 3](x);
		x += sw((unsigned)(x % 14), x);
	}
	u64 (*volatile fp)(u64) = f_mul;
	x ^= fp(x);
	return x;
}

int main(void)
{
	for (unsigned i = 0; i < NVALS; i++) {
		u64 a = opaque(VALS[i]);
		tests(a);
		show("calls", calls(a));
		for (unsigned j = 0; j < NVALS; j++)
			conds(a, opaque(VALS[j]), opaque(VALS[(i + j + 1) % NVALS]), opaque(VALS[(i * 3 + j) % NVALS]));
	}
	show("ack", ack(opaque(2), opaque(9)));
	show("checksum", checksum);
	return (int)(checksum & 0x7f);
}
