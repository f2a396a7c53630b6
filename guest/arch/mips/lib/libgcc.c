/* 64-bit division for 32-bit mips: the libgcc routines gcc calls for u64/s64 '/' and '%'.
 * Counterpart of lib/math/div64.c (div64_u64's normalise-then-subtract) and of the libgcc
 * replacements Linux keeps in lib/ and arch/<arch>/lib/ (GENERIC_LIB_*): Linux does not link
 * libgcc, and Debian's mips libgcc is built for the PIC, hard-float ABI besides. When both
 * operands fit in 32 bits it is one divu; otherwise one shift-and-subtract step per bit of the
 * quotient.
 * The one source of these routines: guest/build.sh also compiles it into the user programs' C
 * library (USER_LIB_SRCS of arch_mips), whose archive is linked before libgcc, so it depends on
 * no kernel header. */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

u64 __udivdi3(u64 n, u64 d);
u64 __umoddi3(u64 n, u64 d);
s64 __divdi3(s64 n, s64 d);
s64 __moddi3(s64 n, s64 d);

static inline int clz64(u64 x)
{
	return (x >> 32) ? __builtin_clz((u32)(x >> 32)) : 32 + __builtin_clz((u32)x);
}

static u64 udivmod64(u64 n, u64 d, u64 *rem)
{
	u64 q = 0;
	int shift;

	if (!((n | d) >> 32)) {
		*rem = (u32)n % (u32)d;
		return (u32)n / (u32)d;
	}
	if (d > n) {
		*rem = n;
		return 0;
	}
	shift = clz64(d) - clz64(n);
	d <<= shift;
	for (; shift >= 0; shift--) {
		q <<= 1;
		if (n >= d) {
			n -= d;
			q |= 1;
		}
		d >>= 1;
	}
	*rem = n;
	return q;
}

u64 __udivdi3(u64 n, u64 d)
{
	u64 rem;

	return udivmod64(n, d, &rem);
}

u64 __umoddi3(u64 n, u64 d)
{
	u64 rem;

	udivmod64(n, d, &rem);
	return rem;
}

s64 __divdi3(s64 n, s64 d)
{
	u64 rem, q = udivmod64(n < 0 ? -(u64)n : (u64)n, d < 0 ? -(u64)d : (u64)d, &rem);

	return (n < 0) != (d < 0) ? -(s64)q : (s64)q;
}

s64 __moddi3(s64 n, s64 d)
{
	u64 rem;

	udivmod64(n < 0 ? -(u64)n : (u64)n, d < 0 ? -(u64)d : (u64)d, &rem);
	return n < 0 ? -(s64)rem : (s64)rem;
}
