/* fields — unknown keys of a mapping, with the nearest known name (Levenshtein distance). */
#include "sim/input/fields.h"

#include <string.h>

#define MAX_NAME 40 /* longer names are not compared: field names are short */

/* Levenshtein distance with one row; 99 for names too long to compare. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > MAX_NAME || m > MAX_NAME)
        return 99;
    size_t row[MAX_NAME + 1];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

const char *pn_fields_suggest(const char *key, const char *const *allowed)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (const char *const *a = allowed; *a; a++) {
        size_t d = edit_distance(*a, key);
        if (d < best_d) {
            best_d = d;
            best = *a;
        }
    }
    return best;
}

size_t pn_fields_check(const pn_doc_node *map, const char *const *allowed,
                       pn_fields_unknown_fn unknown, void *ctx)
{
    size_t count = 0;
    for (size_t i = 0; map && i + 1 < map->count; i += 2) {
        const pn_doc_node *key = map->items[i];
        const char *const *a = allowed;
        while (*a && strcmp(*a, key->text) != 0)
            a++;
        if (*a)
            continue;
        unknown(ctx, key, pn_fields_suggest(key->text, allowed));
        count++;
    }
    return count;
}
