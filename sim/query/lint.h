/* lint — policy review: the mistakes no single connection shows. Each finding has a stable
 * code, a severity, the object at fault and the file:line:column of the field at fault, a
 * message and a one-line fix hint (docs/lint.md lists the codes). Alongside, the exposure of
 * every workload: who may reach it from outside its namespace and from outside the cluster, as
 * connection sets.
 *
 * The analysis reads the world (its policies, pods and namespaces, and in an AWS world the
 * network to the instance metadata service) and, for positions inside an object, the document
 * trees the objects came from: those given, or the files the world's origins name. Questions
 * about what a rule or a peer adds are answered on connection sets — every (pod class or
 * address interval, port interval class) the world can tell apart — never on the text. */
#ifndef PN_LINT_H
#define PN_LINT_H

#include "models/portset.h"
#include "sim/input/load.h"
#include "sim/world/world.h"

typedef enum { PN_LINT_NOTE, PN_LINT_WARNING, PN_LINT_ERROR } pn_lint_severity;

/* The codes, in the order docs/lint.md and SARIF's rules list them. Their names are a
 * contract: a code is never renamed or reused. */
typedef enum {
    PN_LINT_SELECTS_NOTHING,    /* a podSelector, peer or namespaceSelector matches nothing */
    PN_LINT_IGNORED_RULES,      /* rules of a direction policyTypes leaves out */
    PN_LINT_EGRESS_WITHOUT_DNS, /* egress-isolated pods cannot reach the cluster DNS on 53 */
    PN_LINT_REDUNDANT_RULE,     /* a rule that allows nothing the rest of its policy does not */
    PN_LINT_SHADOWED_PEER,      /* a peer that admits nothing the rest of its policy does not */
    PN_LINT_UNPROTECTED,        /* pods no policy isolates, per direction */
    PN_LINT_EXPOSED,            /* a rule opening pods to outside the cluster or every namespace */
    PN_LINT_IMDS_REACHABLE,     /* pods that reach 169.254.169.254:80 (AWS worlds) */
    PN_LINT_NAMED_PORT_UNRESOLVED, /* a named port no pod the rule reaches declares */
    PN_LINT_CODE_COUNT
} pn_lint_code;

/* What a code is, for help, JSON and SARIF's rules. */
typedef struct {
    const char *id;            /* "selects-nothing" */
    pn_lint_severity severity; /* the usual severity (egress-without-dns: warning for TCP only) */
    const char *summary;       /* one sentence */
} pn_lint_rule;

/* The rule of code (code < PN_LINT_CODE_COUNT). */
const pn_lint_rule *pn_lint_rule_of(pn_lint_code code);

/* "note", "warning", "error". */
const char *pn_lint_severity_name(pn_lint_severity s);

/* The annotation that silences codes on one object: a comma-separated list of codes (or
 * "all") in metadata.annotations of the policy or workload a finding names. */
#define PN_LINT_IGNORE_ANNOTATION "podnet.dev/lint-ignore"

typedef struct {
    pn_lint_code code;
    pn_lint_severity severity;
    const char *kind, *ns, *name; /* the object at fault ("NetworkPolicy", "shop", "db-in") */
    const char *field;            /* "spec.ingress[0].from[1]"; "" for the object itself */
    pn_origin at;                 /* the field's position (the object's when not found) */
    const char *message;          /* one line, no trailing period */
    const char *hint;             /* one line: how to fix it */
    pn_portset ports;             /* exposed: the connections opened (else empty) */
} pn_lint_finding;

/* The pods of another namespace that may reach a workload, and what they may open. */
typedef struct {
    const char *label; /* "namespace monitoring (3 pods)" */
    const char *ns;
    size_t pods;    /* the namespace's pods on the pod network */
    pn_portset set; /* union over its pods and the workload's pods */
} pn_lint_source;

/* One workload (or standalone pod) and who may reach it from outside. */
typedef struct {
    const char *label; /* "shop/web (Deployment, 2 pods)" */
    const char *ns, *kind, *name;
    size_t pods;
    bool isolated;           /* some policy isolates every pod of it for ingress */
    pn_portset from_outside; /* from an address outside the cluster (the internet), as the
                                pods' ingress policies admit it */
    pn_portset from_any_ns;  /* from a pod without labels in a namespace not in the input:
                                what every namespace, future ones included, may open */
    pn_lint_source *sources; /* pods of other namespaces in the input (reach: their egress,
                                the workload's ingress and the network), by label */
    size_t source_count;
} pn_lint_exposure;

typedef struct pn_lint pn_lint;

/* Reviews world w. docs are the documents w was read from (may be NULL): findings point into
 * them, and objects found in none of them are looked up by reading the file their origin names
 * (not standard input). Findings are sorted by file, line, column, code and message; exposures
 * in the order of their first pods. Returns the review (caller frees with pn_lint_free). */
pn_lint *pn_lint_run(const pn_world *w, const pn_documents *docs);

void pn_lint_free(pn_lint *l); /* accepts NULL */

/* The findings (owned by the review), with the ones an annotation silenced left out. */
const pn_lint_finding *pn_lint_findings(const pn_lint *l, size_t *count);

/* The exposure of every workload with a pod on the pod network (owned by the review). */
const pn_lint_exposure *pn_lint_exposures(const pn_lint *l, size_t *count);

#endif
