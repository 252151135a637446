// System calls the Glibc and Darwin modules do not declare (Linux's need _GNU_SOURCE).
#include <errno.h>
#include <unistd.h>
#ifdef __linux__
// Swaps two paths atomically (glibc 2.28, Linux 3.15; ext4, xfs, btrfs, tmpfs).
extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);
#define DISCLOSURE_RENAME_EXCHANGE (1 << 1)
// Copies bytes between two files inside the kernel (glibc 2.27, Linux 4.5): from `offset` of
// one to the current position of the other. The bytes copied, or -1 and errno.
extern ssize_t copy_file_range(int fd_in, __off64_t *off_in, int fd_out, __off64_t *off_out, size_t len, unsigned int flags);
static inline long disclosure_copy_range(int from, long long offset, int to, size_t count) {
    __off64_t at = offset;
    return copy_file_range(from, &at, to, 0, count, 0);
}
static inline int disclosure_exchange(const char *a, const char *b) {
    return renameat2(-100 /* AT_FDCWD */, a, -100, b, DISCLOSURE_RENAME_EXCHANGE);
}
// Bytes the allocator has handed out and not taken back (the trace's live heap).
#include <malloc.h>
static inline size_t disclosure_heap_in_use(void) { struct mallinfo2 m = mallinfo2(); return m.uordblks + m.hblkhd; }
// Hands the allocator's free pages (of every thread's arena) back to the system.
static inline void disclosure_release_free_memory(void) { malloc_trim(0); }
// A pipe whose ends are closed on exec (a child spawned meanwhile inherits neither).
extern int pipe2(int pipefd[2], int flags);
static inline int disclosure_pipe_cloexec(int fds[2]) { return pipe2(fds, 02000000 /* O_CLOEXEC */); }
#else
static inline size_t disclosure_heap_in_use(void) { return 0; }
static inline void disclosure_release_free_memory(void) {}
static inline int disclosure_pipe_cloexec(int fds[2]) { return pipe(fds); }
// No copy inside the kernel here: the caller reads and writes.
static inline long disclosure_copy_range(int from, long long offset, int to, size_t count) {
    (void)from; (void)offset; (void)to; (void)count; errno = ENOSYS; return -1;
}
// No atomic swap here: the caller renames the spare into place instead.
static inline int disclosure_exchange(const char *a, const char *b) {
    (void)a; (void)b; errno = ENOSYS; return -1;
}
#endif
