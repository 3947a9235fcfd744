/* decode — the pure Kubernetes and AWS decoder: document trees in, a batch of plain
 * declarations out (one per object, in input order), validated as the API server validates
 * them and with its defaults applied. It knows no world: sim/world merges the batch, and the
 * checks that need the world (duplicates, cross-object AWS checks) are made there. */
#ifndef PN_DECODE_H
#define PN_DECODE_H

#include "models/ipam.h"
#include "models/labels.h"
#include "models/nacl.h"
#include "models/netpol.h"
#include "models/pod.h"
#include "models/secgroup.h"
#include "models/service.h"
#include "models/vpc.h"
#include "sim/base/arena.h"
#include "sim/base/diag.h"
#include "sim/input/load.h"

typedef struct {
    const char *name;
    pn_labels labels; /* includes kubernetes.io/metadata.name, set as the API server does */
    bool declared;    /* false when only referenced by other objects */
} pn_namespace;

typedef struct {
    const char *name;
    pn_labels labels;
    pn_ipv4 ip;                /* status.addresses InternalIP, 0 when not given */
    const char *instance_type; /* label node.kubernetes.io/instance-type, or NULL */
    const char *zone;          /* label topology.kubernetes.io/zone, or NULL */
    const char *subnet;        /* the primary ENI's subnet (annotation podnet.dev/subnet) */
    const char *eni_config;    /* annotation k8s.amazonaws.com/eniConfig, or NULL */
    const char *provider_id;   /* spec.providerID (aws:///zone/i-...), or NULL */
    int kubelet_max_pods;      /* status.capacity.pods; 0 when not given */
    int vcpus;                 /* status.capacity.cpu; 0 when not given */
    /* Kept current by the VPC CNI model (sim/ipamd) in AWS mode: */
    int max_pods;     /* the kubelet's max-pods in force */
    int enis;         /* ENIs attached */
    int ips_held;     /* pod addresses the node holds (in use, warm or cooling down) */
    int ips_assigned; /* of which pods use */
    const char *file; /* where the Node was declared, for messages */
    unsigned line, column;
} pn_node;

/* A standalone Pod, or a workload that makes pods. */
typedef struct {
    const char *kind;        /* "Pod", or the workload's kind */
    const char *ns_name;     /* metadata.namespace ("default" when absent) */
    const char *name;        /* metadata.name */
    pn_labels labels;        /* the pod's labels, or the template's */
    pn_pod shape;            /* ports, hostNetwork, nodeName; ip when has_ip */
    pn_labels node_selector; /* DaemonSet: the template's nodeSelector */
    int64_t replicas;        /* workloads (Jobs: parallelism); 1 for a Pod */
    bool daemon;             /* DaemonSet: one pod per matching node */
    bool has_ip;             /* a Pod with status.podIP */
    pn_origin origin;        /* where it was declared */
} pn_pod_source;

/* crd.k8s.amazonaws.com ENIConfig: the pod subnet of custom networking. */
typedef struct {
    const char *name;
    const char *subnet;                 /* spec.subnet: a subnet's id or name */
    const char *const *security_groups; /* spec.securityGroups: the pods' ENIs' groups */
    size_t security_group_count;
} pn_eni_config;

/* What a declaration declares. */
typedef enum {
    PN_DECL_NAMESPACE,        /* payload: namespace */
    PN_DECL_NODE,             /* node */
    PN_DECL_POD_SOURCE,       /* source: a Pod or a workload */
    PN_DECL_NETPOL,           /* policy (its ns index is set by whoever stores it) */
    PN_DECL_SERVICE,          /* service */
    PN_DECL_ENDPOINTSLICE,    /* slice */
    PN_DECL_VPC,              /* vpc */
    PN_DECL_SUBNET,           /* subnet and subnet_allocated */
    PN_DECL_ROUTE_TABLE,      /* route_table */
    PN_DECL_CNI_CONFIG,       /* a VpcCniConfig object (no payload; its settings follow it) */
    PN_DECL_CNI_SETTING,      /* cni_setting: one valid VPC CNI variable */
    PN_DECL_ENI_CONFIG,       /* eni_config */
    PN_DECL_SET_ASIDE,        /* read and set aside (an IPv6 or FQDN EndpointSlice): no payload */
    PN_DECL_SECURITY_GROUP,   /* secgroup */
    PN_DECL_NETWORK_ACL,      /* nacl */
    PN_DECL_NAT_GATEWAY,      /* nat */
    PN_DECL_INTERNET_GATEWAY, /* igw */
    PN_DECL_INSTANCE,         /* instance */
    PN_DECL_REMOTE_NETWORK,   /* remote */
    PN_DECL_SG_POLICY,        /* sg_policy */
} pn_decl_kind;

/* vpcresources.k8s.aws/v1beta1 SecurityGroupPolicy: the pods of its namespace that its
 * podSelector selects get a branch ENI carrying these groups (with ENABLE_POD_ENI). */
typedef struct {
    const char *ns;
    const char *name;
    const pn_selector *pod_selector;
    const char *const *groups; /* spec.securityGroups.groupIds */
    size_t group_count;
} pn_sg_policy;

/* One declared object, or one VPC CNI setting. Strings and arrays are borrowed from the
 * document trees or live in the arena given to pn_decode_documents. */
typedef struct {
    pn_decl_kind kind;
    const char *object_kind; /* the kind it is registered as ("Deployment", "VPC"); NULL for
                                a CNI setting */
    const char *ns;          /* namespace; NULL for cluster-scoped objects */
    const char *name;        /* the object's name */
    pn_origin origin;        /* where it was declared */
    union {
        pn_namespace namespace_;
        pn_node node;
        pn_pod_source source;
        pn_netpol policy;
        pn_service service;
        pn_endpoint_slice slice;
        pn_vpc vpc;
        struct {
            pn_subnet subnet;
            const pn_doc_node *allocated; /* its Allocated list (checked with the world) */
            pn_origin origin;             /* where its EC2 shape is (the spec, or the item) */
        } subnet;
        pn_route_table route_table;
        struct {
            const char *name;  /* the aws-node variable, e.g. WARM_IP_TARGET */
            const char *value; /* its text, accepted by pn_cni_setting */
        } cni_setting;
        pn_eni_config eni_config;
        pn_secgroup secgroup;
        pn_nacl nacl;
        pn_nat_gateway nat;
        pn_internet_gateway igw;
        pn_instance instance;
        pn_remote_network remote;
        pn_sg_policy sg_policy;
    } u;
} pn_decl;

/* A batch of declarations in input order (pass 1: Namespaces, Nodes and AWS kinds; pass 2:
 * everything else). The items array is the caller's to free with pn_decls_free. */
typedef struct {
    pn_decl *items;
    size_t count, cap;
} pn_decls;

typedef struct {
    bool strict; /* unknown kinds are errors rather than warnings */
} pn_decode_options;

/* Decodes every document into decls (appended), allocating in arena. Every problem goes to
 * diags as "file:line:column: error: what (object Kind ns/name, field path)"; an object with
 * an error is not declared, except that a Node, VpcCniConfig or ENIConfig is declared as soon
 * as its metadata is valid. opt may be NULL. Returns PN_OK, or PN_EINPUT when any error was
 * recorded. */
int pn_decode_documents(const pn_documents *docs, const pn_decode_options *opt, pn_arena *arena,
                        pn_decls *decls, pn_diags *diags);

/* True for the kinds that have no namespace (Namespace, Node, the AWS kinds, ENIConfig). */
bool pn_kind_cluster_scoped(const char *kind);

/* Frees the items array. Accepts NULL. */
void pn_decls_free(pn_decls *decls);

#endif
