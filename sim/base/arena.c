/* arena — a list of large blocks; allocation bumps a pointer in the newest one. */
#include "sim/base/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BLOCK_SIZE (256 * 1024)
#define BIG_BLOCK_SIZE (4 * 1024 * 1024) /* from the fourth block on: large arenas */
#define HUGE_PAGE (2 * 1024 * 1024)
#define ALIGN 16

typedef struct block {
    struct block *next;
    size_t size, used;
    _Alignas(ALIGN) unsigned char data[];
} block;

struct pn_arena {
    block *head;
    size_t total;  /* bytes handed out */
    size_t blocks; /* blocks made */
};

static void out_of_memory(void)
{
    fputs("podnet: out of memory\n", stderr);
    abort();
}

/* A block of cap bytes of data. Large arenas (a big cluster's documents and world) take 4 MiB
 * blocks aligned to and advised as huge pages: touching fresh memory 4 KiB at a time was a
 * third of a large load, page fault by page fault. */
static block *new_block(pn_arena *a, size_t cap)
{
    block *b;
    if (cap == BIG_BLOCK_SIZE - sizeof *b) {
        b = aligned_alloc(HUGE_PAGE, BIG_BLOCK_SIZE);
#ifdef MADV_HUGEPAGE
        if (b)
            madvise(b, BIG_BLOCK_SIZE, MADV_HUGEPAGE);
#endif
    } else {
        b = malloc(sizeof *b + cap);
    }
    if (!b)
        out_of_memory();
    b->size = cap;
    b->used = 0;
    a->blocks++;
    return b;
}

void *pn_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *pn_xrealloc(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        out_of_memory();
    size_t bytes = n * size;
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q)
        out_of_memory();
    return q;
}

char *pn_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = pn_xcalloc(1, n);
    memcpy(p, s, n);
    return p;
}

char *pn_xstrndup(const char *s, size_t n)
{
    char *p = pn_xcalloc(1, n + 1);
    memcpy(p, s, n);
    return p;
}

void pn_sort(void *base, size_t count, size_t size, int (*cmp)(const void *, const void *))
{
    if (count > 1)
        qsort(base, count, size, cmp);
}

pn_arena *pn_arena_new(void)
{
    return pn_xcalloc(1, sizeof(pn_arena));
}

void pn_arena_free(pn_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void *pn_arena_alloc_raw(pn_arena *a, size_t size)
{
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t normal = a->blocks >= 3 ? BIG_BLOCK_SIZE - sizeof *b : BLOCK_SIZE;
        size_t cap = size > normal / 4 ? size : normal;
        b = new_block(a, cap);
        if (cap == size && a->head) { /* a big one-off: keep the current block in front */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += size;
    a->total += size;
    return p;
}

void *pn_arena_alloc(pn_arena *a, size_t size)
{
    void *p = pn_arena_alloc_raw(a, size);
    memset(p, 0, size);
    return p;
}

char *pn_arena_strndup(pn_arena *a, const char *s, size_t n)
{
    char *p =
        pn_arena_alloc_raw(a, n + 1); /* every byte is written below: no need to zero it first */
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pn_arena_strdup(pn_arena *a, const char *s)
{
    return pn_arena_strndup(a, s, strlen(s));
}

char *pn_arena_printf(pn_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = pn_arena_alloc_raw(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t pn_arena_used(const pn_arena *a)
{
    return a->total;
}
