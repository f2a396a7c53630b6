/* links: symbolic and hard links in the current directory, and the errors Linux gives.
 * symlink, readlink, open and stat through links (relative, absolute-free, to directories, in
 * the middle of a path), lstat, O_NOFOLLOW, O_CREAT through a dangling link, the 40-link
 * limit, loops, hard links and their link counts, then everything is removed. Only names
 * starting with "kprobe-link" are touched. */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#define P "kprobe-link"

static int fails = 0;

static void check(const char *what, long got, long want)
{
	if (got != want) {
		printf("FAIL %s: got %ld, want %ld (errno %d)\n", what, got, want, errno);
		fails++;
	}
}

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
		printf("%-40s -> %ld errno %s (%s)\n", what, __r, errname(errno),	\
		       strerror(errno));					\
	} while (0)

static void show_link(const char *path)
{
	char buf[128];
	long n = readlink(path, buf, sizeof(buf));

	if (n < 0)
		printf("readlink %s: errno %d\n", path, errno);
	else
		printf("readlink %s: %ld \"%.*s\"\n", path, n, (int)n, buf);
}

static void cat(const char *path)
{
	char buf[128];
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0) {
		printf("open %s: errno %d (%s)\n", path, errno, strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf));
	printf("read %s: %.*s", path, (int)(n > 0 ? n : 0), buf);
	close(fd);
}

static void make_file(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	write(fd, text, strlen(text));
	close(fd);
}

int main(void)
{
	struct stat st, lst;
	char name[64], target[64];
	int fd, i;

	make_file(P "-file", "the file\n");
	check("mkdir", mkdir(P "-dir", 0755), 0);
	make_file(P "-dir/inner", "inside the directory\n");

	check("symlink", symlink(P "-file", P "-sym"), 0);
	check("symlink to a directory", symlink(P "-dir", P "-dirsym"), 0);
	check("dangling symlink", symlink(P "-new", P "-dangling"), 0);
	show_link(P "-sym");
	show_link(P "-dirsym");
	cat(P "-sym");
	cat(P "-dirsym/inner");

	check("stat through", stat(P "-sym", &st), 0);
	check("lstat", lstat(P "-sym", &lst), 0);
	printf("stat: regular %d, size %ld; lstat: link %d, size %ld\n", S_ISREG(st.st_mode),
	       (long)st.st_size, S_ISLNK(lst.st_mode), (long)lst.st_size);
	check("stat of a link to a directory", stat(P "-dirsym", &st), 0);
	printf("stat %s: dir %d\n", P "-dirsym", S_ISDIR(st.st_mode));

	/* Writing through a link writes the file. */
	fd = open(P "-sym", O_WRONLY | O_APPEND);
	write(fd, "appended\n", 9);
	close(fd);
	cat(P "-file");

	/* O_CREAT through a dangling link creates its target. */
	fd = open(P "-dangling", O_CREAT | O_WRONLY, 0644);
	printf("open(O_CREAT) through a dangling link: %s\n", fd >= 0 ? "ok" : "failed");
	write(fd, "made through the link\n", 22);
	close(fd);
	cat(P "-new");

	/* A chain of links: 40 are followed, the 41st is too many. */
	for (i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), P "-chain%d", i);
		if (i == 1)
			snprintf(target, sizeof(target), P "-file");
		else
			snprintf(target, sizeof(target), P "-chain%d", i - 1);
		check("chain symlink", symlink(target, name), 0);
	}
	fd = open(P "-chain40", O_RDONLY);
	printf("open through 40 links: %s\n", fd >= 0 ? "ok" : "failed");
	close(fd);
	EXPECT_ERRNO("open through 41 links", open(P "-chain41", O_RDONLY));

	/* Hard links share the inode. */
	check("link", link(P "-file", P "-hard"), 0);
	stat(P "-file", &st);
	stat(P "-hard", &lst);
	printf("hard link: same inode %d, nlink %u\n", st.st_ino == lst.st_ino, st.st_nlink);
	check("unlink the first name", unlink(P "-file"), 0);
	cat(P "-hard");
	stat(P "-hard", &st);
	printf("after unlink: nlink %u\n", st.st_nlink);
	EXPECT_ERRNO("open a link whose target is gone", open(P "-sym", O_RDONLY));

	printf("errors:\n");
	check("loop a", symlink(P "-loopb", P "-loopa"), 0);
	check("loop b", symlink(P "-loopa", P "-loopb"), 0);
	EXPECT_ERRNO("open a loop", open(P "-loopa", O_RDONLY));
	EXPECT_ERRNO("stat a loop", stat(P "-loopa", &st));
	EXPECT_ERRNO("lstat a loop", lstat(P "-loopa", &st));
	EXPECT_ERRNO("open O_NOFOLLOW of a link", open(P "-dirsym", O_RDONLY | O_NOFOLLOW));
	EXPECT_ERRNO("symlink over an existing name", symlink("x", P "-hard"));
	EXPECT_ERRNO("symlink with an empty target", symlink("", P "-empty"));
	EXPECT_ERRNO("readlink of a file", readlink(P "-hard", name, sizeof(name)));
	EXPECT_ERRNO("readlink of a missing name", readlink(P "-missing", name, sizeof(name)));
	EXPECT_ERRNO("readlink with a zero size", readlink(P "-dirsym", name, 0));
	EXPECT_ERRNO("open O_CREAT|O_EXCL of a link", open(P "-dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));
	EXPECT_ERRNO("link to a directory", link(P "-dir", P "-dirlink"));
	EXPECT_ERRNO("link to a missing file", link(P "-missing", P "-x"));
	EXPECT_ERRNO("path through a link to a file", open(P "-hard/x", O_RDONLY));
	EXPECT_ERRNO("rmdir of a link to a directory", rmdir(P "-dirsym"));

	check("unlink dirsym", unlink(P "-dirsym"), 0);
	check("the directory stays", stat(P "-dir/inner", &st), 0);
	for (i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), P "-chain%d", i);
		check("unlink chain", unlink(name), 0);
	}
	check("unlink loopa", unlink(P "-loopa"), 0);
	check("unlink loopb", unlink(P "-loopb"), 0);
	check("unlink sym", unlink(P "-sym"), 0);
	check("unlink dangling", unlink(P "-dangling"), 0);
	check("unlink new", unlink(P "-new"), 0);
	check("unlink hard", unlink(P "-hard"), 0);
	check("unlink inner", unlink(P "-dir/inner"), 0);
	check("rmdir", rmdir(P "-dir"), 0);
	printf("%s\n", fails ? "some checks failed" : "all checks passed");
	return fails != 0;
}
