/* POSIX system-call wrappers of the tiny C library: -1 and errno on failure. */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <stddef.h>

typedef long off_t;
typedef int pid_t;

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
int dup(int fd);
int dup2(int oldfd, int newfd);
int unlink(const char *path);
int symlink(const char *target, const char *linkpath);
int symlinkat(const char *target, int newdirfd, const char *linkpath);
int link(const char *oldpath, const char *newpath);
ssize_t readlink(const char *path, char *buf, size_t bufsiz);
ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t bufsiz);
int rmdir(const char *path);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
pid_t getpid(void);
pid_t getppid(void);
int brk(void *addr);
void *sbrk(long increment);
__attribute__((__noreturn__)) void _exit(int status);
int execve(const char *path, char *const argv[], char *const envp[]);
pid_t fork(void);
long syscall(long n, ...);

#endif
