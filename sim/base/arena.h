/* arena — bump allocation for everything a world holds; freed all at once. */
#ifndef PN_ARENA_H
#define PN_ARENA_H

#include <stddef.h>

typedef struct pn_arena pn_arena;

pn_arena *pn_arena_new(void);

/* Frees every block the arena handed out. Accepts NULL. */
void pn_arena_free(pn_arena *a);

/* Zeroed memory aligned for any type, valid until pn_arena_free. Aborts on out-of-memory:
 * a simulator that cannot hold its world has nothing useful left to do. */
void *pn_arena_alloc(pn_arena *a, size_t size);

/* The same without zeroing, for callers that write every byte. */
void *pn_arena_alloc_raw(pn_arena *a, size_t size);

/* Copy of n bytes of s, NUL-terminated. */
char *pn_arena_strndup(pn_arena *a, const char *s, size_t n);

char *pn_arena_strdup(pn_arena *a, const char *s);

/* printf into the arena. */
char *pn_arena_printf(pn_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for memory reports). */
size_t pn_arena_used(const pn_arena *a);

/* calloc/realloc that abort on out-of-memory, for growable arrays outside arenas. */
void *pn_xcalloc(size_t n, size_t size);
void *pn_xrealloc(void *p, size_t n, size_t size);
char *pn_xstrdup(const char *s);            /* malloc'd copy; caller frees */
char *pn_xstrndup(const char *s, size_t n); /* malloc'd copy of n bytes, terminated */

/* qsort that accepts an empty (even NULL) array, which qsort itself must not be given. */
void pn_sort(void *base, size_t count, size_t size, int (*cmp)(const void *, const void *));

/* Grows *items (of elem bytes each) so that index count fits; doubles the capacity. */
#define PN_GROW(items, count, cap)                                                                 \
    do {                                                                                           \
        if ((count) >= (cap)) {                                                                    \
            (cap) = (cap) ? (cap)*2 : 16;                                                          \
            (items) = pn_xrealloc((items), (cap), sizeof *(items));                                \
        }                                                                                          \
    } while (0)

#endif
