/* decode_int — what the decoder's files share (decode.c: helpers and dispatch by kind; k8s.c:
 * the Kubernetes kinds; aws.c: the AWS kinds and VPC CNI settings). Nothing else includes
 * this. A kind decoder reads c->obj, reports every problem through ERR, and appends what it
 * declares with pn__decode_declare. */
#ifndef PN_DECODE_INT_H
#define PN_DECODE_INT_H

#include "sim/input/decode.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What is being decoded, for messages, and where declarations go. */
typedef struct {
    pn_arena *arena;        /* where decoded arrays and strings live (borrowed) */
    pn_decls *decls;        /* appended to (borrowed) */
    pn_diags *diags;        /* problems (borrowed) */
    bool strict;            /* unknown kinds are errors */
    const char *file;       /* the document's file */
    const pn_doc_node *obj; /* the object's mapping */
    const char *kind;
    const char *ns; /* NULL for cluster-scoped objects */
    const char *name;
    int pass; /* 1: Namespaces, Nodes and AWS kinds; 2: everything else */
} ctx;

/* An object's metadata. */
typedef struct {
    const char *name;
    const char *ns; /* "default" when a namespaced object gives none */
    pn_labels labels;
    const pn_doc_node *node; /* the metadata mapping */
} pn__meta;

/* Reports a problem at node at (the object when NULL) as "msg (object Kind ns/name, field
 * path)"; path may be NULL. */
void pn__decode_report(ctx *c, pn_diag_severity sev, const pn_doc_node *at, const char *path,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define ERR(c, at, path, ...) pn__decode_report((c), PN_DIAG_ERROR, (at), (path), __VA_ARGS__)

/* Reports keys of map that are not in allowed (NULL-terminated), with a "did you mean". A
 * misspelt field in a NetworkPolicy silently changes what it allows, so they are errors. */
void pn__decode_check_fields(ctx *c, const pn_doc_node *map, const char *path,
                             const char *const *allowed);

/* The value under key when it is a mapping (a sequence), NULL when absent or null; anything
 * else is reported and gives NULL. */
const pn_doc_node *pn__decode_map(ctx *c, const pn_doc_node *parent, const char *key,
                                  const char *path);
const pn_doc_node *pn__decode_seq(ctx *c, const pn_doc_node *parent, const char *key,
                                  const char *path);

/* A string scalar, or NULL (absent, or reported: plain numbers and booleans are refused as the
 * API server refuses them). Borrowed from the document tree. */
const char *pn__decode_as_string(ctx *c, const pn_doc_node *n, const char *path);
const char *pn__decode_string(ctx *c, const pn_doc_node *parent, const char *key, const char *path);

/* A boolean field; false when absent or reported. */
bool pn__decode_bool(ctx *c, const pn_doc_node *parent, const char *key, const char *path);

/* An integer field in [min, max]; dflt when absent or reported. */
int64_t pn__decode_int(ctx *c, const pn_doc_node *parent, const char *key, const char *path,
                       int64_t min, int64_t max, int64_t dflt);

/* buf = path + fmt: the field path of a child ("spec" + ".ingress[0]"), truncated to fit
 * (paths only label messages). Returns buf. */
char *pn__path_join(char *buf, size_t size, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A DNS-1123 subdomain (object names) / label (namespace names). */
bool pn__dns_subdomain(const char *s);
bool pn__dns_label(const char *s);

/* Labels from a mapping (NULL: none), sorted. Returns 0, or -1 (reported). */
int pn__decode_labels(ctx *c, const pn_doc_node *map, const char *path, pn_labels *out);

/* A LabelSelector (an absent one selects everything). NULL on error (reported). */
pn_selector *pn__decode_selector(ctx *c, const pn_doc_node *n, const char *path);

/* Reads metadata under obj (path prefixes field paths); namespaced objects default to namespace
 * "default". Sets c->name and c->ns for messages. Returns 0, or -1 (reported). */
int pn__decode_metadata(ctx *c, const pn_doc_node *obj, bool namespaced, const char *path,
                        pn__meta *m);

/* Where node n of the current file is. */
pn_origin pn__decode_origin(ctx *c, const pn_doc_node *n);

/* Appends a declaration of object_kind ns/name at the current object and returns it for its
 * payload; the pointer is valid until the next declaration. Duplicates are the world's to
 * find (it knows what was declared before this batch). */
pn_decl *pn__decode_declare(ctx *c, pn_decl_kind kind, const char *object_kind, const char *ns,
                            const char *name);

/* The kinds (k8s.c): each decodes c->obj. */
void pn__decode_namespace(ctx *c);
void pn__decode_node(ctx *c);
void pn__decode_pod(ctx *c);
void pn__decode_workload(ctx *c);
void pn__decode_netpol(ctx *c);
void pn__decode_service(ctx *c);
void pn__decode_endpointslice(ctx *c);

/* The AWS kinds (aws.c). */
void pn__decode_vpc(ctx *c);
void pn__decode_subnet(ctx *c);
void pn__decode_route_table(ctx *c);
void pn__decode_cni_config(ctx *c);
void pn__decode_eni_config(ctx *c);
void pn__decode_security_group(ctx *c);
void pn__decode_network_acl(ctx *c);
void pn__decode_nat_gateway(ctx *c);
void pn__decode_internet_gateway(ctx *c);
void pn__decode_instance(ctx *c);
void pn__decode_remote_network(ctx *c);
void pn__decode_sg_policy(ctx *c);

/* The output of an aws ec2 describe-* command podnet reads (an object without a kind: Vpcs,
 * Subnets, RouteTables, SecurityGroups, NetworkAcls, NatGateways, InternetGateways,
 * Reservations). Returns true when obj is one. */
bool pn__decode_describe_output(ctx *c, const pn_doc_node *obj);

/* The VPC CNI settings in the aws-node DaemonSet's container env (spec is the DaemonSet's). */
void pn__decode_aws_node_env(ctx *c, const pn_doc_node *spec);

#endif
