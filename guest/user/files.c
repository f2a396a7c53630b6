/* files: the file system calls in the current directory, and the errors Linux gives.
 * Creates kprobe-test.txt, writes, seeks, reads back, appends, makes a directory with a file
 * in it, lists the names it created (getdents64, sorted: the order of entries differs between
 * file systems), then removes everything and prints the errno of a set of failing calls.
 * Only names starting with "kprobe-test" are touched or listed. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#define PREFIX "kprobe-test"

static int fails = 0;

static void check(const char *what, long got, long want)
{
	if (got != want) {
		printf("FAIL %s: got %ld, want %ld\n", what, got, want);
		fails++;
	}
}

/* Run a call expected to fail and print its errno. */
/* errno by name: the numbers differ between arches (ENOTEMPTY is 39 on arm64, 93 on mips). */
static const char *errname(int e)
{
	const char *name = strerrorname_np(e);

	return e == 0 ? "0" : name ? name : "?";
}

#define EXPECT_ERRNO(what, call)					\
	do {								\
		errno = 0;						\
		long __r = (long)(call);				\
		printf("%-36s -> %ld errno %s (%s)\n", what, __r, errname(errno),	\
		       strerror(errno));					\
	} while (0)

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path, const char *prefix)
{
	char buf[1024];
	char *names[64];
	int n = 0, fd = open(path, O_RDONLY | O_DIRECTORY);
	long got;

	if (fd < 0) {
		printf("open %s: errno %d\n", path, errno);
		return;
	}
	while ((got = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			if (!strncmp(d->d_name, prefix, strlen(prefix)) && n < 64)
				names[n++] = strdup(d->d_name);
			off += d->d_reclen;
		}
	}
	check("getdents64 end", got, 0);
	qsort(names, n, sizeof(names[0]), cmp_names);
	printf("%s:\n", path);
	for (int i = 0; i < n; i++) {
		char full[256];
		struct stat st;

		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (stat(full, &st) < 0)
			printf("  %s (stat errno %d)\n", names[i], errno);
		else
			printf("  %-24s %s %ld bytes\n", names[i], S_ISDIR(st.st_mode) ? "dir " : "file",
			       S_ISDIR(st.st_mode) ? 0L : (long)st.st_size);
		free(names[i]);
	}
	close(fd);
}

int main(void)
{
	const char *first = "hello, file\n", *second = "second line\n";
	char buf[128];
	struct stat st;
	int fd;
	long n;

	fd = open(PREFIX ".txt", O_CREAT | O_TRUNC | O_RDWR, 0644);
	printf("open(O_CREAT) %s\n", fd >= 0 ? "ok" : "failed");
	n = write(fd, first, strlen(first));
	printf("write %ld\n", n);
	n = write(fd, second, strlen(second));
	printf("write %ld\n", n);
	printf("lseek(0, SEEK_CUR) = %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	printf("lseek(0, SEEK_SET) = %ld\n", (long)lseek(fd, 0, SEEK_SET));
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("read %ld: %s", n, buf);
	printf("read at end = %ld\n", (long)read(fd, buf, sizeof(buf)));
	printf("lseek(7, SEEK_SET) = %ld\n", (long)lseek(fd, 7, SEEK_SET));
	n = read(fd, buf, 4);
	buf[n > 0 ? n : 0] = '\0';
	printf("read %ld: \"%s\"\n", n, buf);
	printf("lseek(-5, SEEK_END) = %ld\n", (long)lseek(fd, -5, SEEK_END));
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("read %ld: \"%.4s\"\n", n, buf);
	fstat(fd, &st);
	printf("fstat: size %ld, regular %d, dir %d\n", (long)st.st_size, S_ISREG(st.st_mode),
	       S_ISDIR(st.st_mode));
	close(fd);

	fd = open(PREFIX ".txt", O_WRONLY | O_APPEND);
	write(fd, "third\n", 6);
	printf("after O_APPEND write: offset %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	close(fd);
	stat(PREFIX ".txt", &st);
	printf("stat: size %ld\n", (long)st.st_size);

	fd = open(PREFIX ".txt", O_RDWR | O_TRUNC);
	fstat(fd, &st);
	printf("after O_TRUNC: size %ld\n", (long)st.st_size);
	write(fd, "truncated and rewritten\n", 24);
	close(fd);

	check("mkdir", mkdir(PREFIX "-dir", 0755), 0);
	fd = open(PREFIX "-dir/inner.txt", O_CREAT | O_WRONLY, 0600);
	write(fd, "inner\n", 6);
	close(fd);
	close(open(PREFIX "-b.txt", O_CREAT | O_WRONLY, 0644));
	close(open(PREFIX "-a.txt", O_CREAT | O_WRONLY, 0644));

	list_dir(".", PREFIX);
	list_dir(PREFIX "-dir", "inner");

	printf("errors:\n");
	EXPECT_ERRNO("open missing file", open(PREFIX "-missing.txt", O_RDONLY));
	EXPECT_ERRNO("open directory for writing", open(".", O_WRONLY));
	EXPECT_ERRNO("open directory O_CREAT", open(".", O_CREAT | O_RDONLY, 0644));
	EXPECT_ERRNO("open file/name", open(PREFIX ".txt/x", O_RDONLY));
	EXPECT_ERRNO("open file with O_DIRECTORY", open(PREFIX ".txt", O_RDONLY | O_DIRECTORY));
	EXPECT_ERRNO("open O_CREAT|O_EXCL existing", open(PREFIX ".txt", O_CREAT | O_EXCL | O_RDWR, 0644));
	EXPECT_ERRNO("open missing/dir/file O_CREAT", open(PREFIX "-none/x", O_CREAT | O_RDWR, 0644));
	EXPECT_ERRNO("open empty name", open("", O_RDONLY));
	EXPECT_ERRNO("mkdir existing", mkdir(PREFIX "-dir", 0755));
	EXPECT_ERRNO("rmdir non-empty", rmdir(PREFIX "-dir"));
	EXPECT_ERRNO("rmdir a file", rmdir(PREFIX ".txt"));
	EXPECT_ERRNO("unlink a directory", unlink(PREFIX "-dir"));
	EXPECT_ERRNO("unlink missing", unlink(PREFIX "-missing.txt"));
	EXPECT_ERRNO("close bad fd", close(99));
	EXPECT_ERRNO("read bad fd", read(99, buf, 1));
	fd = open(PREFIX ".txt", O_WRONLY);
	EXPECT_ERRNO("read a write-only fd", read(fd, buf, 1));
	close(fd);
	fd = open(PREFIX "-dir", O_RDONLY);
	EXPECT_ERRNO("read a directory", read(fd, buf, sizeof(buf)));
	close(fd);
	EXPECT_ERRNO("write from a NULL buffer", write(1, NULL, 5));
	EXPECT_ERRNO("lseek negative", lseek(0 + open(PREFIX ".txt", O_RDONLY), -1, SEEK_SET));
	EXPECT_ERRNO("getdents64 on a file", getdents64(open(PREFIX "-a.txt", O_RDONLY), buf, sizeof(buf)));

	check("unlink inner", unlink(PREFIX "-dir/inner.txt"), 0);
	check("rmdir", rmdir(PREFIX "-dir"), 0);
	check("unlink a", unlink(PREFIX "-a.txt"), 0);
	check("unlink b", unlink(PREFIX "-b.txt"), 0);
	check("unlink", unlink(PREFIX ".txt"), 0);
	EXPECT_ERRNO("stat after unlink", stat(PREFIX ".txt", &st));
	list_dir(".", PREFIX);
	printf("%s\n", fails ? "some checks failed" : "all checks passed");
	return fails != 0;
}
