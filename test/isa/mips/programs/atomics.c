/* Oracle program: atomics as GCC builds them on MIPS32 (ll/sc loops, sync barriers; the 8- and
 * 16-bit ones by masking inside a word), ll/sc by hand (a failing sc, sc to another address),
 * and thread-local storage: set_thread_area, then rdhwr $29 for __thread variables.
 * No Linux counterpart. */
#include "rt.h"

static u32 w32;
static u16 w16[4];
static u8 w8[8];
static __thread u32 tls_a;
static __thread u32 tls_b[4];
static u8 tls_area[0x9000] __attribute__((aligned(16)));

static NOINLINE void ops32(u32 v)
{
	mix(__atomic_fetch_add(&w32, v, __ATOMIC_SEQ_CST));
	mix(__atomic_fetch_sub(&w32, v >> 3, __ATOMIC_ACQ_REL));
	mix(__atomic_fetch_and(&w32, ~v, __ATOMIC_RELAXED));
	mix(__atomic_fetch_or(&w32, v & 0xf0f0, __ATOMIC_ACQUIRE));
	mix(__atomic_fetch_xor(&w32, v, __ATOMIC_RELEASE));
	mix(__atomic_add_fetch(&w32, 3, __ATOMIC_SEQ_CST));
	mix(__atomic_exchange_n(&w32, v ^ 0x5a5a5a5a, __ATOMIC_SEQ_CST));
	u32 expected = v;
	mix(__atomic_compare_exchange_n(&w32, &expected, v + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	mix(expected);
	expected = w32;
	mix(__atomic_compare_exchange_n(&w32, &expected, v + 2, 1, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	mix(__atomic_load_n(&w32, __ATOMIC_SEQ_CST));
	__atomic_store_n(&w32, w32 * 3, __ATOMIC_RELEASE);
	mix(__sync_fetch_and_add(&w32, 1));
	mix(__sync_val_compare_and_swap(&w32, w32, 77));
	__sync_synchronize();
	mix(w32);
}

static NOINLINE void ops_small(u32 v, unsigned i)
{
	u16 *h = &w16[i & 3];
	u8 *b = &w8[i & 7];
	mix(__atomic_fetch_add(h, (u16)v, __ATOMIC_SEQ_CST));
	mix(__atomic_fetch_or(h, (u16)(v >> 16), __ATOMIC_SEQ_CST));
	mix(__atomic_exchange_n(h, (u16)(v * 3), __ATOMIC_SEQ_CST));
	u16 eh = *h;
	mix(__atomic_compare_exchange_n(h, &eh, (u16)(eh + 9), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	mix(__atomic_fetch_add(b, (u8)v, __ATOMIC_SEQ_CST));
	mix(__atomic_fetch_and(b, (u8)(v >> 8), __ATOMIC_SEQ_CST));
	mix(__atomic_fetch_xor(b, 0xa5, __ATOMIC_SEQ_CST));
	u8 eb = 0x42;
	mix(__atomic_compare_exchange_n(b, &eb, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	mix(eb);
	for (int k = 0; k < 4; k++)
		mix(w16[k]);
	for (int k = 0; k < 8; k++)
		mix(w8[k]);
}

/* ll, a plain store in between, sc: QEMU fails the sc when the word changed, passes it when
 * the same value was stored back; an sc to another address fails. */
static NOINLINE void llsc(u32 v)
{
	u32 old, ok;
	w32 = v;
	__asm__ volatile("ll %0, 0(%2)\n\tsw %3, 0(%2)\n\tmove %1, %4\n\tsc %1, 0(%2)"
			 : "=&r"(old), "=&r"(ok) : "r"(&w32), "r"(v + 1), "r"(v + 100) : "memory");
	mix(old), mix(ok), mix(w32);
	__asm__ volatile("ll %0, 0(%2)\n\tsw %0, 0(%2)\n\tmove %1, %3\n\tsc %1, 0(%2)"
			 : "=&r"(old), "=&r"(ok) : "r"(&w32), "r"(v + 200) : "memory");
	mix(old), mix(ok), mix(w32);
	__asm__ volatile("ll %0, 0(%2)\n\tmove %1, %3\n\tsc %1, 4(%2)"
			 : "=&r"(old), "=&r"(ok) : "r"(&w16[0]), "r"(v) : "memory");
	mix(old), mix(ok), mix(w16[2]);
	__asm__ volatile("sc %0, 0(%1)" : "=r"(ok) : "r"(&w32), "0"(v) : "memory");
	mix(ok), mix(w32);
}

static NOINLINE void tls(void)
{
	for (unsigned i = 0; i < 10; i++) {
		tls_a += i;
		tls_b[i & 3] ^= tls_a * 7;
	}
	mix(tls_a);
	for (int i = 0; i < 4; i++)
		mix(tls_b[i]);
	u32 tp;
	__asm__ volatile("rdhwr %0, $29" : "=r"(tp));
	mix(tp - (u32)tls_area);
}

int main(void)
{
	/* TLS variant I: the thread pointer is 0x7000 past the TCB; leave room on both sides. */
	show("tp", (u32)syscall3(NR_set_thread_area, (long)(tls_area + 0x7010), 0, 0));
	for (unsigned i = 0; i < NVALS; i++) {
		ops32(opaque(VALS[i]));
		ops_small(VALS[i], i);
		llsc(VALS[i]);
	}
	show("atomics", checksum);
	tls();
	show("tls", checksum);
	return 0;
}
