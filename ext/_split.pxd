# How the kernels split [0, n) between OpenMP threads, and how many threads a region may use.

cdef extern from *:
    """
    /* A child made by fork() runs every OpenMP region on one thread: libgomp's thread pool does
       not survive fork, and the child's first region with several threads would wait for
       threads that do not exist. Each module that includes this registers its own handler when
       it loads (PyTorch's OpenMP backend does the same). */
    #if defined(_WIN32)
    static inline int tl_team(int threads) { return threads; }
    #else
    #include <pthread.h>
    static int tl_forked_child = 0;
    static void tl_on_fork_child(void) { tl_forked_child = 1; }
    __attribute__((constructor)) static void tl_register_fork_handler(void) {
        pthread_atfork(NULL, NULL, tl_on_fork_child);
    }
    static inline int tl_team(int threads) { return tl_forked_child ? 1 : threads; }
    #endif
    """
    int team "tl_team"(int threads) noexcept nogil  # threads, or 1 in a child made by fork()


cdef inline Py_ssize_t split16(Py_ssize_t n, int t, int threads) noexcept nogil:
    """Thread t's first index of [0, n) split evenly between ``threads`` (n for t ≥ threads),
    rounded down to a multiple of 16 so that no two threads write one 64-byte line of float32
    (below 16·threads indices the last thread gets them all). Thread t takes
    [split16(n, t, threads), split16(n, t + 1, threads))."""
    if t >= threads:
        return n
    return (t * n // threads) & ~(<Py_ssize_t>15)
