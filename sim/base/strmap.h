/* strmap — a string-keyed hash map to indexes (open addressing, FNV-1a). Keys are borrowed. */
#ifndef PN_STRMAP_H
#define PN_STRMAP_H

#include <stddef.h>

typedef struct pn_strmap pn_strmap;

pn_strmap *pn_strmap_new(void);
void pn_strmap_free(pn_strmap *m); /* accepts NULL */

/* Inserts key → value unless key is present. Returns 0 when inserted, or 1 when the key was
 * already there (then *existing, when not NULL, receives its value). key must outlive m. */
int pn_strmap_put(pn_strmap *m, const char *key, size_t value, size_t *existing);

/* Returns 0 and sets *value, or -1 when key is absent. */
int pn_strmap_get(const pn_strmap *m, const char *key, size_t *value);

/* Replaces the value of key, inserting it when absent. key must outlive m. */
void pn_strmap_set(pn_strmap *m, const char *key, size_t value);

/* Removes key. Returns 0, or -1 when it was absent. */
int pn_strmap_del(pn_strmap *m, const char *key);

/* Visits the entries: slots 0 .. pn_strmap_slots(m) - 1; returns 0 and sets *key and *value
 * for an occupied slot, -1 for an empty one. Do not insert or delete while visiting. */
size_t pn_strmap_slots(const pn_strmap *m);
int pn_strmap_slot(const pn_strmap *m, size_t slot, const char **key, size_t *value);

/* Entries currently held. */
size_t pn_strmap_count(const pn_strmap *m);

#endif
