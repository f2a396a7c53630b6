/* Oracle program: control flow: switch statements dense enough for jump tables (lw + jr),
 * recursion (fib, Ackermann, Hanoi), calls through function pointers (jalr), early returns,
 * nested loops with break/continue, and conditional moves. No Linux counterpart. */
#include "rt.h"

static NOINLINE int classify(int x)
{
	switch (x) {
	case 0: return 11;
	case 1: return 23;
	case 2: return -5;
	case 3: return 99;
	case 4: return 1000;
	case 5: return 7;
	case 6: return 0;
	case 7: return 42;
	case 8: return -77;
	case 9: return 12345;
	case 10: return 3;
	case 12: return 64;
	default: return x * 2;
	}
}

static NOINLINE const char *name(unsigned x)
{
	switch (x % 9) {
	case 0: return "zero";
	case 1: return "one";
	case 2: return "two";
	case 3: return "three";
	case 4: return "four";
	case 5: return "five";
	case 6: return "six";
	case 7: return "seven";
	default: return "eight";
	}
}

static NOINLINE u32 fib(u32 n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static NOINLINE u32 ack(u32 m, u32 n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

static u32 moves;
static NOINLINE void hanoi(int n, int from, int to, int via)
{
	if (n == 0)
		return;
	hanoi(n - 1, from, via, to);
	moves++;
	mix((u32)(from * 16 + to));
	hanoi(n - 1, via, to, from);
}

typedef u32 (*op_fn)(u32, u32);
static NOINLINE u32 op_add(u32 a, u32 b) { return a + b; }
static NOINLINE u32 op_sub(u32 a, u32 b) { return a - b; }
static NOINLINE u32 op_mul(u32 a, u32 b) { return a * b; }
static NOINLINE u32 op_xor(u32 a, u32 b) { return a ^ b; }
static NOINLINE u32 op_max(u32 a, u32 b) { return a > b ? a : b; }
static op_fn const OPS[] = {op_add, op_sub, op_mul, op_xor, op_max};

static NOINLINE int search(const u32 *v, int n, u32 key)
{
	for (int i = 0; i < n; i++) {
		if (v[i] == key)
			return i;
		if (v[i] > 0xf0000000u)
			continue;
		if (v[i] == 0x3b9aca00u)
			break;
	}
	return -1;
}

static NOINLINE u32 collatz(u32 n)
{
	u32 steps = 0;
	while (n != 1) {
		n = (n & 1) ? 3 * n + 1 : n / 2;
		steps++;
	}
	return steps;
}

int main(void)
{
	for (int i = -3; i < 16; i++)
		mix((u32)classify(opaque((u32)i)));
	show("classify", checksum);
	for (unsigned i = 0; i < 12; i++) {
		puts_(name(opaque(i * 5)));
		putch(i == 11 ? '\n' : ' ');
	}
	show("fib", fib(opaque(22)));
	show("ack", ack(2, opaque(3)) * 100 + ack(opaque(3), 3));
	hanoi(opaque(10), 1, 3, 2);
	show("hanoi", moves);
	u32 acc = 1;
	for (unsigned i = 0; i < 100; i++)
		acc = OPS[opaque(i) % 5](acc, VALS[i % NVALS]);
	show("ops", acc);
	for (unsigned i = 0; i < NVALS; i++)
		mix((u32)search(VALS, NVALS, VALS[(i * 7) % NVALS] + (i & 1)));
	show("search", checksum);
	u32 total = 0;
	for (u32 n = 1; n < 300; n++)
		total += collatz(opaque(n));
	show("collatz", total);
	return (int)(total & 0xff);
}
