// Linux calls the Glibc module does not declare (they need _GNU_SOURCE).
#ifdef __linux__
// Swaps two paths atomically (glibc 2.28, Linux 3.15; ext4, xfs, btrfs, tmpfs).
extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);
#define DISCLOSURE_RENAME_EXCHANGE (1 << 1)
static inline int disclosure_exchange(const char *a, const char *b) {
    return renameat2(-100 /* AT_FDCWD */, a, -100, b, DISCLOSURE_RENAME_EXCHANGE);
}
#endif
