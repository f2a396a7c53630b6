/* Oracle program: exclusives (LDXR/STXR and acquire/release and pair forms, CLREX), ordered
 * accesses (LDAR/STLR/LDLAR/STLLR/LDAPR), LSE atomics (LDADD/LDCLR/LDEOR/LDSET/LD{S,U}{MAX,MIN},
 * SWP, CAS, CASP with every size and ordering), barriers and hints, and C11 atomics as GCC
 * compiles them (LL/SC without LSE, LSE instructions with -march=armv8.1-a). */
#include "rt.h"

static void sp_(void) { putch(' '); }
static void nl(void) { putch('\n'); }
static void val(u64 v) { mix(v); hex64(v); sp_(); }

static u64 cell[4] __attribute__((aligned(16)));

/* LSE read-modify-write: the old value (%0) and the memory after. */
#define AMO(insn, v)                                                                          \
	do {                                                                                      \
		u64 o_;                                                                               \
		__asm__ volatile(".arch_extension lse\n\t" insn : "=&r"(o_) : "r"(v), "r"(cell) : "memory"); \
		val(o_); val(cell[0]);                                                                \
	} while (0)

#define AMO_ALL(op, v)                                                                        \
	cell[0] = c0; AMO(op "b %w1, %w0, [%2]", v);                                              \
	cell[0] = c0; AMO(op "ah %w1, %w0, [%2]", v);                                             \
	cell[0] = c0; AMO(op "l %w1, %w0, [%2]", v);                                              \
	cell[0] = c0; AMO(op "al %1, %0, [%2]", v);                                               \
	cell[0] = c0; AMO(op "alb %w1, %w0, [%2]", v);                                            \
	cell[0] = c0; AMO(op "lh %w1, %w0, [%2]", v);                                             \
	cell[0] = c0; AMO(op "a %w1, %w0, [%2]", v);                                              \
	cell[0] = c0; AMO(op " %1, %0, [%2]", v);

static NOINLINE void lse(u64 c0, u64 v)
{
	AMO_ALL("ldadd", v) AMO_ALL("ldclr", v) AMO_ALL("ldeor", v) AMO_ALL("ldset", v)
	AMO_ALL("ldsmax", v) AMO_ALL("ldsmin", v) AMO_ALL("ldumax", v) AMO_ALL("ldumin", v)
	AMO_ALL("swp", v)
	nl();
	/* ST<op> aliases: Rt = XZR. */
	cell[0] = c0; AMO("stadd %1, [%2]\n\tmov %0, #0", v);
	cell[0] = c0; AMO("stclrlb %w1, [%2]\n\tmov %0, #0", v);
	cell[0] = c0; AMO("steorh %w1, [%2]\n\tmov %0, #0", v);
	cell[0] = c0; AMO("stsetl %w1, [%2]\n\tmov %0, #0", v);
	cell[0] = c0; AMO("stsmax %1, [%2]\n\tmov %0, #0", v);
	cell[0] = c0; AMO("stuminl %w1, [%2]\n\tmov %0, #0", v);
	nl();
}

#define CAS(insn, cmp, nv)                                                                    \
	do {                                                                                      \
		u64 s_ = (cmp);                                                                       \
		__asm__ volatile(".arch_extension lse\n\t" insn : "+r"(s_) : "r"(nv), "r"(cell) : "memory"); \
		val(s_); val(cell[0]);                                                                \
	} while (0)

static NOINLINE void cas(u64 c0, u64 nv)
{
	u64 other = c0 ^ 0x0101010101010101UL;
	cell[0] = c0; CAS("casb %w0, %w1, [%2]", c0, nv); cell[0] = c0; CAS("casab %w0, %w1, [%2]", other, nv);
	cell[0] = c0; CAS("caslh %w0, %w1, [%2]", c0, nv); cell[0] = c0; CAS("casalh %w0, %w1, [%2]", other, nv);
	cell[0] = c0; CAS("cas %w0, %w1, [%2]", c0, nv); cell[0] = c0; CAS("casa %w0, %w1, [%2]", other, nv);
	cell[0] = c0; CAS("casl %0, %1, [%2]", c0, nv); cell[0] = c0; CAS("casal %0, %1, [%2]", other, nv);
	cell[0] = c0; CAS("casal %0, %1, [%2]", c0 | 0xffffffff00000000UL, nv);
	cell[0] = c0; CAS("cas %w0, %w1, [%2]", c0 | 0xffffffff00000000UL, nv);
	cell[0] = c0; CAS("casb %w0, %w1, [%2]", c0 | 0xff00, nv);
	cell[0] = c0; CAS("cas %0, xzr, [%2]", c0, nv);
	nl();
}

/* One CASP of the given form; x4..x7 are set right before the instruction. */
#define CASP_ONE(insn, s0v, s1v, n0, n1)                                                      \
	do {                                                                                      \
		register u64 s0 __asm__("x4") = (s0v);                                                \
		register u64 s1 __asm__("x5") = (s1v);                                                \
		register u64 t0 __asm__("x6") = (n0);                                                 \
		register u64 t1 __asm__("x7") = (n1);                                                 \
		__asm__ volatile(".arch_extension lse\n\t" insn                                        \
				 : "+r"(s0), "+r"(s1) : "r"(t0), "r"(t1), "r"(cell) : "memory");              \
		r0 = s0;                                                                              \
		r1 = s1;                                                                              \
	} while (0)

static NOINLINE void casp(u64 c0, u64 c1, u64 n0, u64 n1)
{
	u64 r0, r1;
	for (int eq = 0; eq < 2; eq++) {
		cell[0] = c0; cell[1] = c1;
		CASP_ONE("caspal x4, x5, x6, x7, [%4]", eq ? c0 : c0 + 1, c1, n0, n1);
		val(r0); val(r1); val(cell[0]); val(cell[1]);
		cell[0] = c0; cell[1] = c1;
		CASP_ONE("caspa w4, w5, w6, w7, [%4]", eq ? (u32)c0 : c1, (u32)(c0 >> 32), n0, n1);
		val(r0); val(r1); val(cell[0]); val(cell[1]);
		cell[0] = c0; cell[1] = c1;
		CASP_ONE("caspl x4, x5, x6, x7, [%4]\n\tcasp w4, w5, w6, w7, [%4]", c0, eq ? c1 : 0, n0, n1);
		val(r0); val(r1); val(cell[0]); val(cell[1]);
	}
	nl();
}

static NOINLINE void exclusives(u64 c0, u64 v)
{
	u64 old, tmp;
	u32 st;
	cell[0] = c0;
	__asm__ volatile("1: ldaxr %0, [%3]\n\tadd %1, %0, %4\n\tstlxr %w2, %1, [%3]\n\tcbnz %w2, 1b"
			 : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(cell), "r"(v) : "memory");
	val(old); val(st); val(cell[0]);
	__asm__ volatile("1: ldxr %w0, [%3]\n\teor %w1, %w0, %w4\n\tstxr %w2, %w1, [%3]\n\tcbnz %w2, 1b"
			 : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(cell), "r"(v) : "memory");
	val(old); val(st); val(cell[0]);
	__asm__ volatile("1: ldxrh %w0, [%3]\n\tsub %w1, %w0, %w4\n\tstlxrh %w2, %w1, [%3]\n\tcbnz %w2, 1b"
			 : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(cell), "r"(v) : "memory");
	val(old); val(st); val(cell[0]);
	__asm__ volatile("1: ldaxrb %w0, [%3]\n\torr %w1, %w0, %w4\n\tstxrb %w2, %w1, [%3]\n\tcbnz %w2, 1b"
			 : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(cell), "r"(v) : "memory");
	val(old); val(st); val(cell[0]);
	/* Pairs. */
	u64 a, b;
	cell[0] = c0; cell[1] = v;
	__asm__ volatile("1: ldxp %0, %1, [%3]\n\tstxp %w2, %1, %0, [%3]\n\tcbnz %w2, 1b"
			 : "=&r"(a), "=&r"(b), "=&r"(st) : "r"(cell) : "memory");
	val(a); val(b); val(cell[0]); val(cell[1]);
	__asm__ volatile("1: ldaxp %w0, %w1, [%3]\n\tstlxp %w2, %w1, %w0, [%3]\n\tcbnz %w2, 1b"
			 : "=&r"(a), "=&r"(b), "=&r"(st) : "r"(cell) : "memory");
	val(a); val(b); val(cell[0]); val(cell[1]);
	/* Failures: CLREX in between, a plain store of a new value in between. */
	cell[0] = c0;
	__asm__ volatile("ldxr %0, [%2]\n\tclrex\n\tstxr %w1, %3, [%2]" : "=&r"(a), "=&r"(st) : "r"(cell), "r"(v) : "memory");
	val(a); val(st); val(cell[0]);
	__asm__ volatile("ldxr %0, [%2]\n\tstr %3, [%2]\n\tstxr %w1, %0, [%2]" : "=&r"(a), "=&r"(st) : "r"(cell), "r"(c0 + 1) : "memory");
	val(a); val(st); val(cell[0]);
	__asm__ volatile("clrex\n\tstxr %w0, %2, [%1]" : "=&r"(st) : "r"(cell), "r"(v) : "memory");
	val(st); val(cell[0]);
	__asm__ volatile("ldxr %0, [%2]\n\tadd x9, %2, #8\n\tstxr %w1, %3, [x9]" : "=&r"(a), "=&r"(st) : "r"(cell), "r"(v) : "x9", "memory");
	val(st); val(cell[1]);
	/* Ordered accesses. */
	__asm__ volatile("stlr %1, [%2]\n\tldar %0, [%2]" : "=&r"(a) : "r"(v), "r"(cell) : "memory"); val(a);
	__asm__ volatile("stlrb %w1, [%2]\n\tldarh %w0, [%2]" : "=&r"(a) : "r"(c0), "r"(cell) : "memory"); val(a);
	__asm__ volatile("stlrh %w1, [%2]\n\tldar %w0, [%2]" : "=&r"(a) : "r"(v), "r"(cell) : "memory"); val(a);
	__asm__ volatile("stlr %w1, [%2]\n\tldarb %w0, [%2, #0]" : "=&r"(a) : "r"(c0), "r"(cell) : "memory"); val(a);
	__asm__ volatile(".arch_extension lor\n\tstllr %1, [%2]\n\tldlar %w0, [%2]" : "=&r"(a) : "r"(v), "r"(cell) : "memory"); val(a);
	__asm__ volatile(".arch_extension lor\n\tstllrb %w1, [%2]\n\tldlarh %w0, [%2]" : "=&r"(a) : "r"(c0), "r"(cell) : "memory"); val(a);
	__asm__ volatile(".arch_extension rcpc\n\tldapr %0, [%1]" : "=&r"(a) : "r"(cell) : "memory"); val(a);
	__asm__ volatile(".arch_extension rcpc\n\tldaprb %w0, [%1]\n\tldaprh %w0, [%1]" : "=&r"(a) : "r"(cell) : "memory"); val(a);
	__asm__ volatile("dmb ish\n\tdmb ishld\n\tdsb sy\n\tisb\n\tnop\n\tyield\n\tdmb oshst\n\tdsb ishst\n\thint #34\n\thint #25\n\thint #29\n\tsev\n\tsevl" ::: "memory");
	nl();
}

static u8 a8;
static u16 a16;
static u32 a32;
static u64 a64;

static NOINLINE void c11(u64 v, u64 w)
{
	a8 = (u8)w; a16 = (u16)w; a32 = (u32)w; a64 = w;
	val(__atomic_fetch_add(&a8, (u8)v, __ATOMIC_SEQ_CST)); val(__atomic_fetch_sub(&a16, (u16)v, __ATOMIC_ACQUIRE));
	val(__atomic_fetch_and(&a32, (u32)v, __ATOMIC_RELEASE)); val(__atomic_fetch_or(&a64, v, __ATOMIC_RELAXED));
	val(__atomic_fetch_xor(&a64, v, __ATOMIC_ACQ_REL)); val(__atomic_fetch_nand(&a32, (u32)v, __ATOMIC_SEQ_CST));
	val(__atomic_add_fetch(&a64, v, __ATOMIC_SEQ_CST)); val(__atomic_exchange_n(&a16, (u16)v, __ATOMIC_SEQ_CST));
	val(__atomic_exchange_n(&a64, w, __ATOMIC_ACQUIRE)); val(__atomic_load_n(&a64, __ATOMIC_ACQUIRE));
	__atomic_store_n(&a32, (u32)(v >> 3), __ATOMIC_RELEASE);
	val(a8); val(a16); val(a32); val(a64);
	u64 exp = w;
	val(__atomic_compare_exchange_n(&a64, &exp, v, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)); val(exp); val(a64);
	u32 e32 = 12345;
	val(__atomic_compare_exchange_n(&a32, &e32, (u32)w, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)); val(e32); val(a32);
	u8 e8 = a8;
	while (!__atomic_compare_exchange_n(&a8, &e8, (u8)(e8 + 3), 1, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	val(a8);
	val(__sync_fetch_and_add(&a64, 1)); val(__sync_val_compare_and_swap(&a16, a16, 7)); val(a16);
	__sync_synchronize();
	nl();
}

int main(void)
{
	for (unsigned i = 0; i < NVALS; i += 2) {
		for (unsigned j = 1; j < NVALS; j += 3) {
			u64 c0 = opaque(VALS[i]), v = opaque(VALS[j]);
			lse(c0, v);
			cas(c0, v);
			exclusives(c0, v);
			c11(v, c0);
		}
		casp(VALS[i], VALS[(i + 1) % NVALS], VALS[(i + 5) % NVALS], VALS[(i + 9) % NVALS]);
	}
	show("checksum", checksum);
	return (int)(checksum & 0x7f);
}
