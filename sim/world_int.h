/* world_int — the world's internals, shared by sim/world.c (storage, lookups) and
 * sim/decode.c (Kubernetes objects into the world). Nothing else includes this. */
#ifndef PN_WORLD_INT_H
#define PN_WORLD_INT_H

#include "sim/arena.h"
#include "sim/strmap.h"
#include "sim/world.h"

struct pn_world {
    pn_arena *arena;
    pn_namespace *namespaces;
    size_t ns_count, ns_cap;
    pn_strmap *ns_by_name; /* name → index in namespaces */
    pn_node *nodes;
    size_t node_count, node_cap;
    pn_pod *pods;
    pn_origin *pod_origins; /* parallel to pods */
    bool *pod_has_ip;       /* parallel to pods; used only while loading */
    size_t pod_count, pod_cap;
    pn_strmap *pod_by_name; /* "ns/name" → index in pods (rebuilt after sorting) */
    pn_netpol *policies;
    size_t policy_count, policy_cap;
    pn_strmap *objects;     /* "Kind/ns/name" → index in object_origins, for duplicates */
    pn_origin *object_origins;
    size_t object_count, object_cap;
    size_t service_count, endpointslice_count;
    bool loaded;
};

/* The index of namespace name, creating it (undeclared, with its name label) when absent. */
unsigned pn__world_namespace(pn_world *w, const char *name);

/* Registers object kind/ns/name from origin. Returns 0, or 1 when it already exists (then
 * *first receives where). */
int pn__world_register(pn_world *w, const char *kind, const char *ns, const char *name,
                       pn_origin origin, pn_origin *first);

/* Appends a pod (copied) and returns its index. has_ip says whether pod->ip was given. */
size_t pn__world_add_pod(pn_world *w, const pn_pod *pod, pn_origin origin, bool has_ip);

/* Decodes every document into w (sim/decode.c). */
int pn__decode_documents(pn_world *w, const pn_documents *docs, const pn_world_options *opt,
                         pn_diags *diags);

#endif
