# The threads of one parallel pass: who they are, the barrier they meet at, the BLAS they call,
# and how the rows of a batch are cut into parts.

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    static inline int tl_thread_id(void) { return omp_get_thread_num(); }
    static inline int tl_team_size(void) { return omp_get_num_threads(); }
    #else
    static inline int tl_thread_id(void) { return 0; }
    static inline int tl_team_size(void) { return 1; }
    #endif
    #include <sched.h>

    /* A sense-reversing barrier for the threads of one parallel region. It spins briefly (the
       phases between two waits last tens of microseconds), then yields the core: on a shared
       machine the other thread may have been descheduled. Zero-initialised before the region. */
    typedef struct { int arrived; int sense; } tl_barrier;

    static inline void tl_barrier_wait(tl_barrier* b, int team, int* my_sense) {
        int sense = !*my_sense;
        long spins = 0;
        *my_sense = sense;
        if (team <= 1)
            return;
        if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL) == team) {
            __atomic_store_n(&b->arrived, 0, __ATOMIC_RELAXED);
            __atomic_store_n(&b->sense, sense, __ATOMIC_RELEASE);
            return;
        }
        while (__atomic_load_n(&b->sense, __ATOMIC_ACQUIRE) != sense) {
            if (++spins < 20000) {
    #if defined(__x86_64__) || defined(__i386__)
                __builtin_ia32_pause();
    #endif
            } else {
                sched_yield();
            }
        }
    }

    /* BLAS runs one thread per caller inside a pass: its own pool would fight ours, and a pass on
       one thread leaves BLAS's pool asleep (it spins after every call it wakes for). The functions
       come from the BLAS library (set by bind_blas_threads); passes running at the same time
       share one save/restore through a count. */
    typedef int (*tl_blas_get_t)(void);
    typedef void (*tl_blas_set_t)(int);
    static tl_blas_get_t tl_blas_get = 0;
    static tl_blas_set_t tl_blas_set = 0;
    static int tl_blas_regions = 0, tl_blas_saved = 1;

    static inline void tl_blas_single_enter(void) {
        if (tl_blas_set && __atomic_fetch_add(&tl_blas_regions, 1, __ATOMIC_ACQ_REL) == 0) {
            tl_blas_saved = tl_blas_get();
            if (tl_blas_saved != 1) tl_blas_set(1);
        }
    }
    static inline void tl_blas_single_exit(void) {
        if (tl_blas_set && __atomic_sub_fetch(&tl_blas_regions, 1, __ATOMIC_ACQ_REL) == 0
                && tl_blas_saved != 1)
            tl_blas_set(tl_blas_saved);
    }
    static inline int tl_blas_bound(void) { return tl_blas_set != 0; }
    static inline void tl_bind_blas(size_t get_fn, size_t set_fn) {
        tl_blas_get = (tl_blas_get_t)get_fn;
        tl_blas_set = (tl_blas_set_t)set_fn;
    }
    """
    ctypedef struct tl_barrier:
        int arrived
        int sense
    int tl_thread_id() noexcept nogil
    int tl_team_size() noexcept nogil
    void tl_barrier_wait(tl_barrier* b, int team, int* my_sense) noexcept nogil
    void tl_blas_single_enter() noexcept nogil
    void tl_blas_single_exit() noexcept nogil
    int tl_blas_bound() noexcept nogil
    void tl_bind_blas(size_t get_fn, size_t set_fn) noexcept nogil


cdef inline Py_ssize_t part_start(Py_ssize_t n, int p, int parts) noexcept nogil:
    """First row of part p when n rows are cut into ``parts`` (part p: [start(p), start(p + 1)))."""
    return p * n // parts


cdef inline int first_part(int tid, int team, int parts) noexcept nogil:
    """First of thread tid's parts (thread tid takes [first(tid), first(tid + 1))): adjacent parts,
    so a thread's rows are one block."""
    return tid * parts // team
