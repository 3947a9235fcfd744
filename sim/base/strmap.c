/* strmap — linear probing, load factor at most 1/2. */
#include "sim/base/strmap.h"

#include "sim/base/arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *key; /* NULL marks an empty slot */
    size_t value;
    uint64_t hash;
} slot;

struct pn_strmap {
    slot *slots;
    size_t cap, count; /* cap is a power of two */
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

pn_strmap *pn_strmap_new(void)
{
    pn_strmap *m = pn_xcalloc(1, sizeof *m);
    m->cap = 64;
    m->slots = pn_xcalloc(m->cap, sizeof *m->slots);
    return m;
}

void pn_strmap_free(pn_strmap *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

static slot *find(slot *slots, size_t cap, const char *key, uint64_t h)
{
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!slots[i].key || (slots[i].hash == h && strcmp(slots[i].key, key) == 0))
            return &slots[i];
}

int pn_strmap_put(pn_strmap *m, const char *key, size_t value, size_t *existing)
{
    if (2 * (m->count + 1) > m->cap) {
        size_t cap = m->cap * 2;
        slot *slots = pn_xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                *find(slots, cap, m->slots[i].key, m->slots[i].hash) = m->slots[i];
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    uint64_t h = fnv1a(key);
    slot *s = find(m->slots, m->cap, key, h);
    if (s->key) {
        if (existing)
            *existing = s->value;
        return 1;
    }
    *s = (slot){.key = key, .value = value, .hash = h};
    m->count++;
    return 0;
}

int pn_strmap_get(const pn_strmap *m, const char *key, size_t *value)
{
    slot *s = find(m->slots, m->cap, key, fnv1a(key));
    if (!s->key)
        return -1;
    *value = s->value;
    return 0;
}

void pn_strmap_set(pn_strmap *m, const char *key, size_t value)
{
    if (pn_strmap_put(m, key, value, NULL) != 0)
        find(m->slots, m->cap, key, fnv1a(key))->value = value;
}

/* Backward-shift deletion keeps linear probing free of tombstones: every entry after the hole
 * that could live in it moves up. */
int pn_strmap_del(pn_strmap *m, const char *key)
{
    size_t mask = m->cap - 1;
    slot *s = find(m->slots, m->cap, key, fnv1a(key));
    if (!s->key)
        return -1;
    size_t hole = (size_t)(s - m->slots);
    for (size_t i = (hole + 1) & mask; m->slots[i].key; i = (i + 1) & mask) {
        size_t home = m->slots[i].hash & mask;
        /* Move entry i into the hole unless its home lies cyclically in (hole, i]. */
        bool stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
        if (!stays) {
            m->slots[hole] = m->slots[i];
            hole = i;
        }
    }
    m->slots[hole].key = NULL;
    m->count--;
    return 0;
}

size_t pn_strmap_count(const pn_strmap *m)
{
    return m->count;
}

size_t pn_strmap_slots(const pn_strmap *m)
{
    return m->cap;
}

int pn_strmap_slot(const pn_strmap *m, size_t index, const char **key, size_t *value)
{
    if (index >= m->cap || !m->slots[index].key)
        return -1;
    *key = m->slots[index].key;
    *value = m->slots[index].value;
    return 0;
}
