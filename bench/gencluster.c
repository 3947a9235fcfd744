/* gencluster — writes a synthetic cluster as multi-document YAML for benchmarks and
 * equivalence tests: Namespaces with labels, Pods with labels, addresses and named ports, and
 * NetworkPolicies mixing default-deny, podSelector, namespaceSelector, AND-peers,
 * matchExpressions, named ports, endPort and ipBlock with except, ingress and egress.
 *
 * usage: gencluster PODS POLICIES SEED [aws|real|many] > cluster.yaml
 * The same arguments always give the same bytes (xorshift64* seeded from SEED).
 *
 * With "aws", the cluster also gets an AWS network (aws_network below): a VPC 10.0.0.0/14 with
 * one subnet per /16 (zones z0..z3), m5.xlarge Nodes of about 30 pods each with their
 * Instances, security groups and network ACLs that refuse some pairs, and a main route table.
 * Pods then fill the subnets in order, a quarter each (pod p in subnet p / ceil(PODS / 4)), and
 * are spread round-robin over the nodes of their subnet; everything else (namespaces, labels,
 * ports, policies) is the same as without "aws", since the network draws no random numbers.
 *
 * With "real", pods also carry the labels real controllers and charts add and no policy
 * selects on: pod-template-hash (one per workload), statefulset.kubernetes.io/pod-name (one per
 * pod), app.kubernetes.io/name and app.kubernetes.io/instance. They draw no random numbers
 * either, so the cluster is otherwise the same: the answers must not change, nor the time.
 *
 * With "many", the adversarial case for selector evaluation: every pod has a shard label
 * (POLICIES / 4 shards) and every policy selects its subjects by two shards, so there are
 * about as many distinct selectors as policies and far more classes. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint64_t next(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

static unsigned pick(unsigned n)
{
    return (unsigned)(next() % n);
}

static const char *const apps[] = {"web", "api", "db", "cache", "queue", "auth", "search", "batch"};
static const char *const tiers[] = {"frontend", "backend", "data"};
static const char *const envs[] = {"prod", "staging", "dev"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void selector_labels(const char *indent)
{
    switch (pick(4)) {
    case 0:
        printf("%smatchLabels: {app: %s}\n", indent, apps[pick(COUNT(apps))]);
        break;
    case 1:
        printf("%smatchLabels: {tier: %s}\n", indent, tiers[pick(COUNT(tiers))]);
        break;
    case 2:
        printf("%smatchExpressions:\n%s- {key: app, operator: In, values: [%s, %s]}\n", indent,
               indent, apps[pick(COUNT(apps))], apps[pick(COUNT(apps))]);
        break;
    default:
        printf("%smatchExpressions:\n%s- {key: env, operator: NotIn, values: [%s]}\n", indent,
               indent, envs[pick(COUNT(envs))]);
        break;
    }
}

static void ports(void)
{
    switch (pick(6)) {
    case 0:
        break; /* all ports */
    case 1:
        printf("    ports:\n    - port: http\n");
        break;
    case 2:
        printf("    ports:\n    - {protocol: TCP, port: 5432}\n");
        break;
    case 3:
        printf("    ports:\n    - {protocol: TCP, port: 8000, endPort: 9000}\n");
        break;
    case 4:
        printf("    ports:\n    - {protocol: UDP, port: 53}\n    - {protocol: TCP, port: 53}\n");
        break;
    default:
        printf("    ports:\n    - port: metrics\n    - {port: 443}\n");
        break;
    }
}

static void peer(unsigned namespaces)
{
    switch (pick(5)) {
    case 0:
        printf("    - podSelector:\n");
        selector_labels("        ");
        break;
    case 1:
        printf("    - namespaceSelector:\n        matchLabels: {team: t%u}\n",
               pick(namespaces / 4 + 1));
        break;
    case 2:
        printf("    - namespaceSelector:\n        matchLabels: {env: %s}\n      podSelector:\n",
               envs[pick(COUNT(envs))]);
        selector_labels("        ");
        break;
    case 3: {
        unsigned b = pick(4);
        printf("    - ipBlock:\n        cidr: 10.%u.0.0/16\n        except: [10.%u.%u.0/24]\n", b,
               b, pick(256));
    } break;
    default:
        printf("    - namespaceSelector: {}\n");
        break;
    }
}

/* The AWS variant. Subnet s = 10.s.0.0/16 holds the pods p with p / pods_per_subnet() == s, at
 * host offsets 4, 5, ... (past the four addresses AWS reserves), and nodes_per_subnet() nodes at
 * offsets 65534, 65533, ... (10.s.255.254 down; the last address is reserved too). */
#define SUBNETS 4u
#define PODS_PER_NODE 30u
#define DATA_SUBNET 3u /* its nodes are in sg-data, the others in sg-nodes */

static unsigned pods_per_subnet(unsigned pods)
{
    unsigned n = (pods + SUBNETS - 1) / SUBNETS;
    return n ? n : 1;
}

static unsigned nodes_per_subnet(unsigned pods)
{
    return (pods_per_subnet(pods) + PODS_PER_NODE - 1) / PODS_PER_NODE;
}

static void print_ip(unsigned subnet, unsigned offset)
{
    printf("10.%u.%u.%u", subnet, (offset >> 8) & 255, offset & 255);
}

static void aws_network(unsigned pods)
{
    unsigned per = nodes_per_subnet(pods);
    printf("apiVersion: podnet.dev/v1alpha1\nkind: VPC\nmetadata: {name: main}\n"
           "spec: {VpcId: vpc-bench, CidrBlock: 10.0.0.0/14}\n---\n");
    for (unsigned s = 0; s < SUBNETS; s++)
        printf("apiVersion: podnet.dev/v1alpha1\nkind: Subnet\nmetadata: {name: s%u}\n"
               "spec: {SubnetId: subnet-s%u, VpcId: vpc-bench, AvailabilityZone: z%u, "
               "CidrBlock: 10.%u.0.0/16}\n---\n",
               s, s, s, s);
    printf("apiVersion: podnet.dev/v1alpha1\nkind: RouteTable\nmetadata: {name: main}\n"
           "spec:\n  RouteTableId: rtb-main\n  VpcId: vpc-bench\n"
           "  Routes: [{DestinationCidrBlock: 10.0.0.0/14, GatewayId: local}]\n"
           "  Associations: [{Main: true, RouteTableId: rtb-main}]\n---\n");
    /* sg-nodes: each other on every port. sg-data: each other, and from sg-nodes only
     * PostgreSQL and metrics; its members reach sg-nodes on nothing (sg-nodes admits only
     * itself). */
    printf("apiVersion: podnet.dev/v1alpha1\nkind: SecurityGroup\nmetadata: {name: nodes}\n"
           "spec:\n  GroupId: sg-nodes\n  VpcId: vpc-bench\n  IpPermissions:\n"
           "  - {IpProtocol: \"-1\", UserIdGroupPairs: [{GroupId: sg-nodes}]}\n"
           "  IpPermissionsEgress:\n  - {IpProtocol: \"-1\", IpRanges: [{CidrIp: 0.0.0.0/0}]}\n"
           "---\n");
    printf("apiVersion: podnet.dev/v1alpha1\nkind: SecurityGroup\nmetadata: {name: data}\n"
           "spec:\n  GroupId: sg-data\n  VpcId: vpc-bench\n  IpPermissions:\n"
           "  - {IpProtocol: \"-1\", UserIdGroupPairs: [{GroupId: sg-data}]}\n"
           "  - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, "
           "UserIdGroupPairs: [{GroupId: sg-nodes}]}\n"
           "  - {IpProtocol: tcp, FromPort: 9102, ToPort: 9102, "
           "UserIdGroupPairs: [{GroupId: sg-nodes}]}\n"
           "  IpPermissionsEgress:\n  - {IpProtocol: \"-1\", IpRanges: [{CidrIp: 0.0.0.0/0}]}\n"
           "---\n");
    /* One ACL per subnet: the whole VPC both ways; the data subnet also refuses DNS over UDP
     * from s1 and metrics from s2. */
    for (unsigned s = 0; s < SUBNETS; s++) {
        printf("apiVersion: podnet.dev/v1alpha1\nkind: NetworkAcl\nmetadata: {name: s%u}\n"
               "spec:\n  NetworkAclId: acl-s%u\n  VpcId: vpc-bench\n"
               "  Associations: [{SubnetId: subnet-s%u}]\n  Entries:\n",
               s, s, s);
        if (s == DATA_SUBNET)
            printf("  - {RuleNumber: 50, Egress: false, Protocol: \"17\", RuleAction: deny, "
                   "CidrBlock: 10.1.0.0/16, PortRange: {From: 53, To: 53}}\n"
                   "  - {RuleNumber: 60, Egress: false, Protocol: \"6\", RuleAction: deny, "
                   "CidrBlock: 10.2.0.0/16, PortRange: {From: 9102, To: 9102}}\n");
        printf("  - {RuleNumber: 100, Egress: false, Protocol: \"-1\", RuleAction: allow, "
               "CidrBlock: 10.0.0.0/14}\n"
               "  - {RuleNumber: 100, Egress: true, Protocol: \"-1\", RuleAction: allow, "
               "CidrBlock: 10.0.0.0/14}\n---\n");
    }
    for (unsigned s = 0; s < SUBNETS; s++)
        for (unsigned j = 0; j < per; j++) {
            unsigned node = s * per + j, offset = 65534 - j;
            printf("apiVersion: v1\nkind: Node\nmetadata:\n  name: node%u\n  labels: "
                   "{node.kubernetes.io/instance-type: m5.xlarge, "
                   "topology.kubernetes.io/zone: z%u}\n"
                   "  annotations: {podnet.dev/subnet: s%u}\n"
                   "status:\n  addresses: [{type: InternalIP, address: ",
                   node, s, s);
            print_ip(s, offset);
            printf("}]\n---\n");
            printf("apiVersion: podnet.dev/v1alpha1\nkind: Instance\nmetadata: {name: node%u}\n"
                   "spec:\n  InstanceId: i-node%u\n  InstanceType: m5.xlarge\n"
                   "  PrivateIpAddress: ",
                   node, node);
            print_ip(s, offset);
            printf("\n  SubnetId: subnet-s%u\n  VpcId: vpc-bench\n"
                   "  SecurityGroups: [{GroupId: %s}]\n---\n",
                   s, s == DATA_SUBNET ? "sg-data" : "sg-nodes");
        }
}

int main(int argc, char **argv)
{
    int aws = argc == 5 && strcmp(argv[4], "aws") == 0;
    int real = argc == 5 && strcmp(argv[4], "real") == 0;
    int many = argc == 5 && strcmp(argv[4], "many") == 0;
    if (argc != 4 && !aws && !real && !many) {
        fputs("usage: gencluster PODS POLICIES SEED [aws|real|many]\n", stderr);
        return 2;
    }
    unsigned pods = (unsigned)strtoul(argv[1], NULL, 10);
    /* Pod offsets (4 up) must stay below the nodes' (65534 down). */
    if (aws && pods_per_subnet(pods) + 4 + nodes_per_subnet(pods) >= 65534) {
        fputs("gencluster: too many pods for four /16 subnets\n", stderr);
        return 2;
    }
    unsigned policies = (unsigned)strtoul(argv[2], NULL, 10);
    unsigned shards = policies / 4 ? policies / 4 : 1;
    state = strtoull(argv[3], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
    unsigned namespaces = pods / 100 + 1;
    if (aws)
        aws_network(pods);
    for (unsigned n = 0; n < namespaces; n++)
        printf("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns%u\n  labels: {team: t%u, "
               "env: %s}\n---\n",
               n, n / 4, envs[pick(COUNT(envs))]);
    /* Pods come in workloads, as in real clusters: replicas share labels and ports. */
    unsigned p = 0, workload = 0;
    while (p < pods) {
        workload++;
        unsigned ns = pick(namespaces);
        unsigned replicas = 1 + pick(16);
        const char *app = apps[pick(COUNT(apps))], *tier = tiers[pick(COUNT(tiers))];
        const char *env = envs[pick(COUNT(envs))];
        unsigned http = pick(2) ? 80u : 8080u;
        int db = pick(3) == 0;
        for (unsigned r = 0; r < replicas && p < pods; r++, p++) {
            printf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod%u\n  namespace: ns%u\n"
                   "  labels: {app: %s, tier: %s, env: %s",
                   p, ns, app, tier, env);
            if (many)
                printf(", shard: s%u", (unsigned)(((unsigned long long)p * 7919u) % shards));
            if (real)
                printf(", pod-template-hash: \"%08x\", statefulset.kubernetes.io/pod-name: pod%u, "
                       "app.kubernetes.io/name: %s, app.kubernetes.io/instance: %s-%u",
                       workload * 2654435761u, p, app, app, workload);
            printf("}\nspec:\n");
            /* aws: the subnet and the index in it; round-robin over the subnet's nodes, as the
             * scheduler spreads a workload's replicas */
            unsigned sub = p / pods_per_subnet(pods), k = p % pods_per_subnet(pods);
            if (aws)
                printf("  nodeName: node%u\n",
                       sub * nodes_per_subnet(pods) + k % nodes_per_subnet(pods));
            printf("  containers:\n"
                   "  - name: main\n    image: example/app:1\n    ports:\n"
                   "    - {name: http, containerPort: %u}\n"
                   "    - {name: metrics, containerPort: 9102}\n",
                   http);
            if (db)
                printf("    - {name: db, containerPort: 5432}\n");
            printf("status:\n  podIP: ");
            if (aws)
                print_ip(sub, k + 4);
            else
                printf("10.%u.%u.%u", (p >> 16) & 3, (p >> 8) & 255, p & 255);
            printf("\n---\n");
        }
    }
    for (unsigned i = 0; i < policies; i++) {
        unsigned kind = pick(10);
        printf("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np%u\n"
               "  namespace: ns%u\nspec:\n",
               i, pick(namespaces));
        if (kind == 0) { /* default deny, both directions */
            printf("  podSelector: {}\n  policyTypes: [Ingress, Egress]\n---\n");
            continue;
        }
        printf("  podSelector:\n");
        if (many)
            printf("    matchExpressions:\n    - {key: shard, operator: In, values: [s%u, s%u]}\n",
                   i % shards, (i * 31u + 7u) % shards);
        else
            selector_labels("    ");
        int egress = kind >= 7;
        printf("  policyTypes: [%s]\n  %s:\n", egress ? "Egress" : "Ingress",
               egress ? "egress" : "ingress");
        unsigned rules = 1 + pick(2);
        for (unsigned r = 0; r < rules; r++) {
            printf("  - %s:\n", egress ? "to" : "from");
            unsigned peers = 1 + pick(2);
            for (unsigned k = 0; k < peers; k++)
                peer(namespaces);
            ports();
        }
        printf("---\n");
    }
    return 0;
}
