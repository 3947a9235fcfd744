/* buf — a growable string on the heap, for text whose length is not known in advance (verdict
 * prose, field paths, messages), so nothing is silently cut at a fixed buffer size. */
#ifndef PN_BUF_H
#define PN_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* A NUL-terminated string and its length. Zero-initialised ({0}) or set by pn_buf_init it is
 * the empty string; it owns its memory (malloc), which pn_buf_free releases. */
typedef struct {
    char *data; /* NULL until something is appended; pn_buf_str never returns NULL */
    size_t len; /* bytes before the terminating NUL */
    size_t cap; /* bytes allocated */
} pn_buf;

/* Makes b empty without allocating. */
void pn_buf_init(pn_buf *b);

/* Releases b's memory and makes it empty again. Accepts NULL. */
void pn_buf_free(pn_buf *b);

/* Empties b, keeping its memory for reuse. */
void pn_buf_reset(pn_buf *b);

/* Appends the NUL-terminated s. Aborts on out-of-memory, as the arena does. */
void pn_buf_append(pn_buf *b, const char *s);

/* Appends n bytes of s. */
void pn_buf_appendn(pn_buf *b, const char *s, size_t n);

/* Appends printf-formatted text, whatever its length. */
void pn_buf_appendf(pn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pn_buf_vappendf(pn_buf *b, const char *fmt, va_list ap);

/* The text so far ("" when empty); valid until the next change to b. */
const char *pn_buf_str(const pn_buf *b);

/* Hands the text over to the caller (who frees it) and leaves b empty. Never NULL. */
char *pn_buf_take(pn_buf *b);

#endif
