/*
 * The conformance harness's guest-side runner: /init of the initramfs booted on a real Linux kernel
 * under QEMU. It mounts proc, sysfs, tracefs and a tmpfs, then interprets the plan (/plan, written
 * by conformance/plan.ts) one operation at a time with plain system calls, and prints one framed
 * record per operation on the console, which the host reads (conformance/real.ts). The same plan
 * runs on the emulated kernel through conformance/emulated.ts, which implements these operations
 * with the same system calls in the same order. Finally it powers the machine off.
 *
 * Plan (one operation a line, data hex-encoded):
 *   S SYM             resolve SYM in /proc/kallsyms (for {addr:SYM} and {addr:SYM+N} in data)
 *   C ID              a case begins               -> "@@C ID"
 *   A FILE HEX        open(FILE, O_WRONLY|O_APPEND), write(data), close -> "@@W rc"
 *   T FILE HEX        open(FILE, O_WRONLY|O_TRUNC), write(data) if any, close -> "@@W rc"
 *   R FILE            read the whole file          -> "@@R rc BASE64"
 *   F                 the format file of every event in kprobe_events -> "@@F GRP/EVENT rc BASE64" each, then "@@F ."
 *   N 0|1             write "0" or "1" to the enable file of every event in kprobe_events -> "@@N rc" (first failure, or 0)
 *   G TRIGGER         the system calls of a trigger (openat-enoent, openat-file, read, write, fork)
 *                     -> "@@K PID" for each child forked, then "@@G rc"
 *   E                 the case ends                -> "@@E"
 * FILE is relative to /sys/kernel/tracing. rc is the system call's result, or -errno. "@@P PID" after
 * "@@BEGIN" gives the runner's pid, "@@S SYM ADDR" each resolved symbol.
 * Counterpart of nothing in Linux: a test driver.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRACING "/sys/kernel/tracing/"
#define DATA_FILE "/tmp/kpconf.txt"
#define DATA_TEXT "kprobe conformance\n"

static char *read_all(const char *path, long *len) {
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		*len = -errno;
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			*len = -errno;
			close(fd);
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = 0;
	*len = (long)n;
	return buf;
}

static void put_base64(const unsigned char *p, long n) {
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (long i = 0; i < n; i += 3) {
		unsigned v = p[i] << 16;
		if (i + 1 < n)
			v |= p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		putchar(tab[(v >> 18) & 63]);
		putchar(tab[(v >> 12) & 63]);
		putchar(i + 1 < n ? tab[(v >> 6) & 63] : '=');
		putchar(i + 2 < n ? tab[v & 63] : '=');
	}
}

/* ---- symbols ------------------------------------------------------------------------------- */

#define MAX_SYMS 64
static struct {
	char name[128];
	unsigned long addr;
} syms[MAX_SYMS];
static int nsyms;

static void resolve_symbols(void) {
	if (!nsyms)
		return;
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];
	while (f && fgets(line, sizeof line, f)) {
		unsigned long a;
		char type, name[256];
		if (sscanf(line, "%lx %c %255s", &a, &type, name) != 3)
			continue;
		for (int i = 0; i < nsyms; i++)
			if (!syms[i].addr && !strcmp(syms[i].name, name))
				syms[i].addr = a;
	}
	if (f)
		fclose(f);
	for (int i = 0; i < nsyms; i++)
		printf("@@S %s 0x%lx\n", syms[i].name, syms[i].addr);
}

/* Replace {addr:SYM} and {addr:SYM+N} by the symbol's address (0x%lx). */
static char *substitute(const char *in, size_t len, size_t *outlen) {
	char *out = malloc(len * 2 + 256);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		if (!strncmp(in + i, "{addr:", 6)) {
			const char *end = memchr(in + i, '}', len - i);
			if (end) {
				char name[128];
				size_t nl = end - (in + i + 6);
				if (nl >= sizeof name)
					nl = sizeof name - 1;
				memcpy(name, in + i + 6, nl);
				name[nl] = 0;
				unsigned long off = 0;
				char *plus = strchr(name, '+');
				if (plus) {
					*plus = 0;
					off = strtoul(plus + 1, NULL, 0);
				}
				unsigned long a = 0;
				for (int k = 0; k < nsyms; k++)
					if (!strcmp(syms[k].name, name))
						a = syms[k].addr;
				o += sprintf(out + o, "0x%lx", a + off);
				i = end - in + 1;
				continue;
			}
		}
		out[o++] = in[i++];
	}
	*outlen = o;
	return out;
}

/* ---- operations ---------------------------------------------------------------------------- */

static long write_file(const char *file, const char *data, size_t len, int flags) {
	char path[512];
	snprintf(path, sizeof path, TRACING "%s", file);
	int fd = open(path, O_WRONLY | flags);
	if (fd < 0)
		return -errno;
	long rc = 0;
	if (len || !(flags & O_TRUNC)) {
		ssize_t r = write(fd, data, len);
		rc = r < 0 ? -errno : r;
	}
	close(fd);
	return rc;
}

/* The GRP/EVENT of every line of kprobe_events, in order. */
static int listed_events(char names[][160], int max) {
	long len;
	char *text = read_all(TRACING "kprobe_events", &len);
	int n = 0;
	char *save;
	if (!text)
		return 0;
	for (char *line = strtok_r(text, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		char *space = strchr(line, ' ');
		if (!colon || !space || space < colon)
			continue;
		size_t l = space - colon - 1;
		if (l >= 160)
			l = 159;
		memcpy(names[n], colon + 1, l);
		names[n][l] = 0;
		int dup = 0;
		for (int k = 0; k < n; k++)
			dup |= !strcmp(names[k], names[n]);
		if (!dup)
			n++;
	}
	free(text);
	return n;
}

static long trigger(const char *what) {
	char buf[64];
	if (!strcmp(what, "openat-enoent")) {
		int fd = open("/nonexistent-kpconf", O_RDONLY);
		return fd < 0 ? -errno : fd;
	}
	if (!strcmp(what, "openat-file")) {
		int fd = open(DATA_FILE, O_RDONLY);
		if (fd < 0)
			return -errno;
		close(fd);
		return fd;
	}
	if (!strcmp(what, "read")) {
		int fd = open(DATA_FILE, O_RDONLY);
		if (fd < 0)
			return -errno;
		ssize_t r = read(fd, buf, 5);
		close(fd);
		return r < 0 ? -errno : r;
	}
	if (!strcmp(what, "write")) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd < 0)
			return -errno;
		ssize_t r = write(fd, "hello", 5);
		close(fd);
		return r < 0 ? -errno : r;
	}
	if (!strcmp(what, "fork")) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0)
			return -errno;
		printf("@@K %d\n", pid);
		int status;
		pid_t w = wait4(pid, &status, 0, NULL);
		return w < 0 ? -errno : 0;
	}
	return -EINVAL;
}

static int unhex(int c) {
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void run_plan(void) {
	long plen;
	char *plan = read_all("/plan", &plen);
	if (!plan) {
		printf("@@X cannot read /plan: %ld\n", plen);
		return;
	}
	/* Symbols first: they are all resolved with one pass over /proc/kallsyms. */
	for (char *p = plan; p && *p;) {
		char *nl = strchr(p, '\n');
		if (p[0] == 'S' && p[1] == ' ' && nsyms < MAX_SYMS) {
			size_t l = (nl ? (size_t)(nl - p) : strlen(p)) - 2;
			if (l >= sizeof syms[0].name)
				l = sizeof syms[0].name - 1;
			memcpy(syms[nsyms].name, p + 2, l);
			syms[nsyms++].name[l] = 0;
		}
		p = nl ? nl + 1 : NULL;
	}
	resolve_symbols();
	fflush(stdout);

	char *save;
	for (char *line = strtok_r(plan, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char op = line[0];
		char *arg = line[1] ? line + 2 : line + 1;
		if (op == 'S')
			continue;
		if (op == 'C') {
			printf("@@C %s\n", arg);
		} else if (op == 'E') {
			printf("@@E\n");
			fflush(stdout);
		} else if (op == 'A' || op == 'T') {
			char *sp = strchr(arg, ' ');
			const char *hex = sp ? sp + 1 : "";
			if (sp)
				*sp = 0;
			size_t hl = strlen(hex), dl = hl / 2, sl;
			char *data = malloc(dl + 1);
			for (size_t i = 0; i < dl; i++)
				data[i] = (char)(unhex(hex[2 * i]) << 4 | unhex(hex[2 * i + 1]));
			char *sub = substitute(data, dl, &sl);
			printf("@@W %ld\n", write_file(arg, sub, sl, op == 'A' ? O_APPEND : O_TRUNC));
			free(sub);
			free(data);
		} else if (op == 'R') {
			char path[512];
			long len;
			snprintf(path, sizeof path, TRACING "%s", arg);
			char *text = read_all(path, &len);
			printf("@@R %ld ", len);
			if (text)
				put_base64((unsigned char *)text, len);
			putchar('\n');
			free(text);
		} else if (op == 'F') {
			static char names[256][160];
			int n = listed_events(names, 256);
			for (int i = 0; i < n; i++) {
				char path[512];
				long len;
				snprintf(path, sizeof path, TRACING "events/%s/format", names[i]);
				char *text = read_all(path, &len);
				printf("@@F %s %ld ", names[i], len);
				if (text)
					put_base64((unsigned char *)text, len);
				putchar('\n');
				free(text);
			}
			printf("@@F .\n");
		} else if (op == 'N') {
			static char names[256][160];
			int n = listed_events(names, 256);
			long rc = 0;
			for (int i = 0; i < n; i++) {
				char path[512];
				snprintf(path, sizeof path, "events/%s/enable", names[i]);
				long r = write_file(path, arg, 1, O_TRUNC);
				if (r < 0 && !rc)
					rc = r;
			}
			printf("@@N %ld\n", rc);
		} else if (op == 'G') {
			printf("@@G %ld\n", trigger(arg));
		} else {
			printf("@@X unknown operation %c\n", op);
		}
	}
	free(plan);
}

int main(void) {
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	/* Only the console stays open, so that the fds the cases open are numbered from 3 on. */
	for (int fd = 3; fd < 64; fd++)
		close(fd);
	prctl(PR_SET_NAME, "kpconf", 0, 0, 0);
	int fd = open(DATA_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, DATA_TEXT, sizeof DATA_TEXT - 1) < 0)
			perror("write " DATA_FILE);
		close(fd);
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	printf("\n@@BEGIN\n@@P %d\n", getpid());
	run_plan();
	printf("@@END\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
