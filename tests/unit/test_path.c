/* test_path — the network walk (sim/query/path) on small AWS worlds: same node stays on the
 * host, security groups, network ACLs, route tables, gateways, remote networks, IMDS, the
 * input checks of the network's kinds, and reach and trace agreeing on every pair of the
 * shipped AWS labs. */
#include "testkit.h"

#include "sim/engine/ipamd.h"
#include "sim/query/path.h"
#include "sim/query/trace.h"

/* Two nodes in two private subnets and one in a public subnet; the node group's security group
 * is given by each test. */
static const char *const base =
    "apiVersion: podnet.dev/v1alpha1\nkind: VPC\nmetadata: {name: main}\n"
    "spec: {VpcId: vpc-1, CidrBlock: 10.0.0.0/16}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: Subnet\nmetadata: {name: a}\n"
    "spec: {SubnetId: subnet-a, VpcId: vpc-1, AvailabilityZone: z1, CidrBlock: 10.0.1.0/24}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: Subnet\nmetadata: {name: b}\n"
    "spec: {SubnetId: subnet-b, VpcId: vpc-1, AvailabilityZone: z1, CidrBlock: 10.0.2.0/24}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: Subnet\nmetadata: {name: pub}\n"
    "spec: {SubnetId: subnet-p, VpcId: vpc-1, AvailabilityZone: z1, CidrBlock: 10.0.0.0/24}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: Instance\nmetadata: {name: na}\n"
    "spec: {InstanceId: i-a, PrivateIpAddress: 10.0.1.10, SecurityGroups: [{GroupId: sg-n}],\n"
    "       MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 1}}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: Instance\nmetadata: {name: nb}\n"
    "spec: {InstanceId: i-b, PrivateIpAddress: 10.0.2.10, SecurityGroups: [{GroupId: sg-n}],\n"
    "       MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 2}}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: Instance\nmetadata: {name: np}\n"
    "spec: {InstanceId: i-p, PrivateIpAddress: 10.0.0.10, PublicIpAddress: 54.0.0.1,\n"
    "       SecurityGroups: [{GroupId: sg-n}]}\n---\n"
    "apiVersion: v1\nkind: Node\nmetadata:\n  name: na\n"
    "  labels: {node.kubernetes.io/instance-type: m5.large, topology.kubernetes.io/zone: z1}\n"
    "status: {addresses: [{type: InternalIP, address: 10.0.1.10}]}\n---\n"
    "apiVersion: v1\nkind: Node\nmetadata:\n  name: nb\n"
    "  labels: {node.kubernetes.io/instance-type: m5.large, topology.kubernetes.io/zone: z1}\n"
    "spec: {providerID: 'aws:///z1/i-b'}\n"
    "status: {addresses: [{type: InternalIP, address: 10.0.2.10}]}\n---\n"
    "apiVersion: v1\nkind: Node\nmetadata:\n  name: np\n"
    "  labels: {node.kubernetes.io/instance-type: m5.large, topology.kubernetes.io/zone: z1}\n"
    "status: {addresses: [{type: InternalIP, address: 10.0.0.10}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a1, namespace: x}\n"
    "spec: {nodeName: na, containers: [{name: c, image: i}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a2, namespace: x}\n"
    "spec: {nodeName: na, containers: [{name: c, image: i}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: b1, namespace: x}\n"
    "spec: {nodeName: nb, containers: [{name: c, image: i}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p1, namespace: x}\n"
    "spec: {nodeName: np, containers: [{name: c, image: i}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: h1, namespace: x}\n"
    "spec: {nodeName: na, hostNetwork: true, containers: [{name: c, image: i}]}\n---\n";

static const char *const sg_self =
    "apiVersion: podnet.dev/v1alpha1\nkind: SecurityGroup\nmetadata: {name: nodes}\n"
    "spec:\n  GroupId: sg-n\n  IpPermissions:\n  - {IpProtocol: '-1', UserIdGroupPairs: [{GroupId: "
    "sg-n}]}\n  IpPermissionsEgress:\n  - {IpProtocol: '-1', IpRanges: [{CidrIp: 0.0.0.0/0}]}\n";

static const char *const sg_443_only =
    "apiVersion: podnet.dev/v1alpha1\nkind: SecurityGroup\nmetadata: {name: nodes}\n"
    "spec:\n  GroupId: sg-n\n  IpPermissions:\n  - {IpProtocol: tcp, FromPort: 443, ToPort: 443,\n"
    "     IpRanges: [{CidrIp: 10.0.0.0/16}]}\n  IpPermissionsEgress:\n"
    "  - {IpProtocol: '-1', IpRanges: [{CidrIp: 0.0.0.0/0}]}\n";

/* A world of base plus extra, settled by the VPC CNI model. */
static void aws_world(tk_world *t, const char *extra)
{
    size_t len = strlen(base) + strlen(extra) + 2;
    char *yaml = malloc(len);
    snprintf(yaml, len, "%s%s", base, extra);
    tk_world_ok(t, yaml);
    free(yaml);
    pn_ipamd_settle(t->w, 5 * 60 * PN_SECOND);
}

/* Walks pod from → the address of to (or ip when to is NULL) and returns the verdict; *reason
 * and *seen receive the reason and the source the receiver sees. */
static pn_path_verdict walk(tk_world *t, const char *from, const char *to, pn_ipv4 ip,
                            const char *port, pn_net_reason *reason, pn_ipv4 *seen)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(t->w, &n);
    pn_path_view *v = pn_path_view_new(t->w);
    assert_non_null(v);
    pn_arena *a = pn_arena_new();
    pn_path p;
    pn_path_from f = {.pod = (long)tk_pod(t, from)};
    pn_path_walk(v, &f, to ? pods[tk_pod(t, to)].ip : ip, tk_port(port), 0, true, a, &p);
    /* The walk without recording must agree with the recorded one. */
    pn_path q;
    pn_path_walk(v, &f, to ? pods[tk_pod(t, to)].ip : ip, tk_port(port), 0, false, NULL, &q);
    assert_int_equal(p.verdict, q.verdict);
    assert_int_equal(p.reason, q.reason);
    if (reason)
        *reason = p.reason;
    if (seen)
        *seen = p.recv_src;
    pn_path_verdict verdict = p.verdict;
    pn_path_release(&p);
    pn_arena_free(a);
    pn_path_view_free(v);
    return verdict;
}

static void same_node_stays_on_the_host(void **state)
{
    (void)state;
    tk_world t;
    aws_world(&t, sg_443_only);
    /* The group admits only 443, yet pods of one node talk on any port. */
    assert_true(tk_allowed(&t, "x/a1", "x/a2", "8080"));
    assert_int_equal(walk(&t, "x/a1", "x/a2", 0, "8080", NULL, NULL), PN_PATH_DELIVERED);
    tk_free(&t);
}

static void node_group_without_self_reference_cuts_nodes_apart(void **state)
{
    (void)state;
    tk_world t;
    aws_world(&t, sg_443_only);
    pn_net_reason why;
    assert_int_equal(walk(&t, "x/a1", "x/b1", 0, "8080", &why, NULL), PN_PATH_DROPPED);
    assert_int_equal(why, PN_NET_SECURITY_GROUP);
    assert_false(tk_allowed(&t, "x/a1", "x/b1", "8080"));
    assert_true(tk_allowed(&t, "x/a1", "x/b1", "443")); /* the one port the group opens */
    pn_verdict v = tk_verdict(&t, "x/a1", "x/b1", "8080");
    assert_true(v.egress.allowed && v.ingress.allowed); /* policy has nothing against it */
    assert_int_equal(v.network.reason, PN_NET_SECURITY_GROUP);
    tk_free(&t);
    aws_world(&t, sg_self);
    pn_ipv4 seen;
    assert_int_equal(walk(&t, "x/a1", "x/b1", 0, "8080", NULL, &seen), PN_PATH_DELIVERED);
    size_t n;
    assert_int_equal(seen, pn_world_pods(t.w, &n)[tk_pod(&t, "x/a1")].ip); /* no NAT */
    assert_true(tk_allowed(&t, "x/a1", "x/b1", "8080"));
    tk_free(&t);
}

static void stateless_acl_needs_the_ephemeral_ports_back(void **state)
{
    (void)state;
    static const char *const acl =
        "---\napiVersion: podnet.dev/v1alpha1\nkind: NetworkAcl\nmetadata: {name: b}\n"
        "spec:\n  NetworkAclId: acl-b\n  Associations: [{SubnetId: subnet-b}]\n  Entries:\n"
        "  - {RuleNumber: 100, Egress: false, Protocol: '6', RuleAction: allow, CidrBlock: "
        "10.0.0.0/16, PortRange: {From: 5432, To: 5432}}\n"
        "  - {RuleNumber: 100, Egress: true, Protocol: '6', RuleAction: allow, CidrBlock: "
        "10.0.0.0/16, PortRange: {From: %s}}\n";
    char extra[2048], with[4200];
    tk_world t;
    snprintf(extra, sizeof extra, acl, "5432, To: 5432");
    snprintf(with, sizeof with, "%s%s", sg_self, extra);
    aws_world(&t, with);
    pn_net_reason why;
    assert_int_equal(walk(&t, "x/a1", "x/b1", 0, "5432", &why, NULL), PN_PATH_DROPPED);
    assert_int_equal(why, PN_NET_NETWORK_ACL);
    assert_false(tk_allowed(&t, "x/a1", "x/b1", "5432"));
    assert_false(tk_allowed(&t, "x/a1", "x/b1", "80"));  /* not even the request gets in */
    assert_true(tk_allowed(&t, "x/a1", "x/a2", "5432")); /* one subnet: no ACL crossed */
    tk_free(&t);
    snprintf(extra, sizeof extra, acl, "32768, To: 60999");
    snprintf(with, sizeof with, "%s%s", sg_self, extra);
    aws_world(&t, with);
    assert_true(tk_allowed(&t, "x/a1", "x/b1", "5432"));
    tk_free(&t);
}

static const char *const gateways =
    "---\napiVersion: podnet.dev/v1alpha1\nkind: InternetGateway\nmetadata: {name: igw}\n"
    "spec: {InternetGatewayId: igw-1, Attachments: [{VpcId: vpc-1}]}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: NatGateway\nmetadata: {name: nat}\n"
    "spec: {NatGatewayId: nat-1, SubnetId: subnet-p, NatGatewayAddresses: [{PrivateIp: "
    "10.0.0.5, PublicIp: 52.0.0.9}]}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: RouteTable\nmetadata: {name: public}\n"
    "spec: {RouteTableId: rtb-p, VpcId: vpc-1, Associations: [{SubnetId: subnet-p}],\n"
    "       Routes: [{DestinationCidrBlock: 0.0.0.0/0, GatewayId: igw-1}]}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: RouteTable\nmetadata: {name: private}\n"
    "spec: {RouteTableId: rtb-a, VpcId: vpc-1, Associations: [{Main: true}],\n"
    "       Routes: [{DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: nat-1},\n"
    "                {DestinationCidrBlock: 192.168.0.0/16, TransitGatewayId: tgw-1},\n"
    "                {DestinationCidrBlock: 172.16.0.0/12, NatGatewayId: nat-gone}]}\n---\n"
    "apiVersion: podnet.dev/v1alpha1\nkind: RemoteNetwork\nmetadata: {name: dc}\n"
    "spec: {cidrs: [192.168.0.0/16], gateway: tgw-1, routesBack: [10.0.1.0/24]}\n";

static void leaving_the_vpc(void **state)
{
    (void)state;
    char extra[4096];
    snprintf(extra, sizeof extra, "%s%s", sg_self, gateways);
    tk_world t;
    aws_world(&t, extra);
    pn_net_reason why;
    pn_ipv4 seen;
    /* Public subnet: SNAT to the node, the internet gateway maps it to the node's public IP. */
    assert_int_equal(walk(&t, "x/p1", NULL, tk_ip("1.1.1.1"), "443", NULL, &seen), PN_PATH_LEFT);
    assert_int_equal(seen, tk_ip("54.0.0.1"));
    /* Private subnet (the main table): the NAT gateway's Elastic IP. */
    assert_int_equal(walk(&t, "x/a1", NULL, tk_ip("1.1.1.1"), "443", NULL, &seen), PN_PATH_LEFT);
    assert_int_equal(seen, tk_ip("52.0.0.9"));
    /* A route whose NAT gateway does not exist. */
    assert_int_equal(walk(&t, "x/a1", NULL, tk_ip("172.16.0.1"), "443", &why, NULL),
                     PN_PATH_DROPPED);
    assert_int_equal(why, PN_NET_BLACKHOLE);
    /* The data centre routes 10.0.1.0/24 back: node a's address (after SNAT) gets an answer;
     * node b's does not. */
    assert_int_equal(walk(&t, "x/a1", NULL, tk_ip("192.168.1.1"), "443", NULL, &seen),
                     PN_PATH_DELIVERED);
    assert_int_equal(seen, tk_ip("10.0.1.10"));
    assert_int_equal(walk(&t, "x/b1", NULL, tk_ip("192.168.1.1"), "443", &why, NULL),
                     PN_PATH_DROPPED);
    assert_int_equal(why, PN_NET_NO_RETURN_ROUTE);
    tk_free(&t);
    /* External SNAT: the pod's own address reaches the internet gateway, which cannot
     * translate it. */
    char cni[5000];
    snprintf(cni, sizeof cni,
             "%s---\napiVersion: podnet.dev/v1alpha1\nkind: VpcCniConfig\nmetadata: {name: "
             "aws-node}\nspec: {env: {AWS_VPC_K8S_CNI_EXTERNALSNAT: 'true'}}\n",
             extra);
    aws_world(&t, cni);
    assert_int_equal(walk(&t, "x/p1", NULL, tk_ip("1.1.1.1"), "443", &why, NULL), PN_PATH_DROPPED);
    assert_int_equal(why, PN_NET_NO_PUBLIC_ADDRESS);
    size_t n;
    assert_int_equal(walk(&t, "x/a1", NULL, tk_ip("192.168.1.1"), "443", NULL, &seen),
                     PN_PATH_DELIVERED);
    assert_int_equal(seen, pn_world_pods(t.w, &n)[tk_pod(&t, "x/a1")].ip);
    tk_free(&t);
}

static void no_route_without_a_default(void **state)
{
    (void)state;
    char extra[2048];
    snprintf(extra, sizeof extra,
             "%s---\napiVersion: podnet.dev/v1alpha1\nkind: RouteTable\nmetadata: {name: "
             "local-only}\nspec: {RouteTableId: rtb-l, VpcId: vpc-1, Associations: [{Main: "
             "true}]}\n",
             sg_self);
    tk_world t;
    aws_world(&t, extra);
    pn_net_reason why;
    assert_int_equal(walk(&t, "x/a1", NULL, tk_ip("8.8.8.8"), "53/UDP", &why, NULL),
                     PN_PATH_DROPPED);
    assert_int_equal(why, PN_NET_NO_ROUTE);
    /* The implicit local route still carries the VPC. */
    assert_true(tk_allowed(&t, "x/a1", "x/b1", "80"));
    tk_free(&t);
}

/* An interface listed in the instance's NetworkInterfaces carries the groups listed for it. */
static void listed_interface_groups(void **state)
{
    (void)state;
    static const char *const extra =
        "apiVersion: podnet.dev/v1alpha1\nkind: SecurityGroup\nmetadata: {name: closed}\n"
        "spec: {GroupId: sg-closed, IpPermissions: [], IpPermissionsEgress: [{IpProtocol: '-1',"
        " IpRanges: [{CidrIp: 0.0.0.0/0}]}]}\n---\n"
        "apiVersion: podnet.dev/v1alpha1\nkind: Instance\nmetadata: {name: nb2}\n"
        "spec: {InstanceId: i-b2, PrivateIpAddress: 10.0.2.20, SecurityGroups: [{GroupId: sg-n}],"
        "\n       NetworkInterfaces: [{Attachment: {DeviceIndex: 0}, Groups: [{GroupId: "
        "sg-closed}]}]}\n---\n"
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: nb2\n  labels: "
        "{node.kubernetes.io/instance-type: m5.large, topology.kubernetes.io/zone: z1}\n"
        "status: {addresses: [{type: InternalIP, address: 10.0.2.20}]}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: b2, namespace: x}\n"
        "spec: {nodeName: nb2, containers: [{name: c, image: i}]}\n---\n";
    char all[8192];
    snprintf(all, sizeof all, "%s---\n%s", sg_self, extra);
    tk_world t;
    aws_world(&t, all);
    pn_net_reason why;
    assert_int_equal(walk(&t, "x/a1", "x/b2", 0, "80", &why, NULL), PN_PATH_DROPPED);
    assert_int_equal(why, PN_NET_SECURITY_GROUP);
    assert_true(tk_allowed(&t, "x/a1", "x/b1", "80")); /* b1's node carries sg-n */
    tk_free(&t);
}

static void imds_hop_limit(void **state)
{
    (void)state;
    tk_world t;
    aws_world(&t, sg_self);
    pn_net_reason why;
    pn_ipv4 imds = tk_ip("169.254.169.254");
    assert_int_equal(walk(&t, "x/a1", NULL, imds, "80", &why, NULL), PN_PATH_DROPPED);
    assert_int_equal(why, PN_NET_IMDS_HOP_LIMIT);
    assert_int_equal(walk(&t, "x/b1", NULL, imds, "80", NULL, NULL), PN_PATH_DELIVERED);
    assert_int_equal(walk(&t, "x/h1", NULL, imds, "80", NULL, NULL), PN_PATH_DELIVERED);
    tk_free(&t);
}

/* Bad input of the network's kinds: file:line:column and a clear message. */
static void bad_network_input(void **state)
{
    (void)state;
    static const struct {
        const char *yaml, *message;
    } cases[] = {
        {"apiVersion: podnet.dev/v1alpha1\nkind: SecurityGroup\nmetadata: {name: s}\nspec:\n"
         "  GroupId: sg-1\n  IpPermissions:\n  - {IpProtocol: tcp, FromPort: 443, ToPort: 80}\n",
         "in.yaml:7:5: error: FromPort 443 is greater than ToPort 80"},
        {"apiVersion: podnet.dev/v1alpha1\nkind: SecurityGroup\nmetadata: {name: s}\nspec:\n"
         "  GroupId: sg-1\n  IpPermissions:\n  - {IpProtocol: '-1', UserIdGroupPairs: [{GroupId: "
         "sg-nope}]}\n",
         "unknown security group sg-nope"},
        {"apiVersion: podnet.dev/v1alpha1\nkind: NetworkAcl\nmetadata: {name: data}\nspec:\n"
         "  NetworkAclId: acl-1\n  Entries:\n"
         "  - {RuleNumber: 100, Egress: true, Protocol: '-1', RuleAction: allow, CidrBlock: "
         "0.0.0.0/0}\n"
         "  - {RuleNumber: 100, Egress: true, Protocol: '-1', RuleAction: deny, CidrBlock: "
         "0.0.0.0/0}\n",
         "egress rule 100 is listed twice"},
        {"apiVersion: podnet.dev/v1alpha1\nkind: NetworkAcl\nmetadata: {name: data}\nspec:\n"
         "  NetworkAclId: acl-1\n  Entries:\n"
         "  - {RuleNumber: 100, Egress: true, Protocol: '-1', RuleAction: allow, CidrBlock: "
         "10.0.0.300/8}\n",
         "in.yaml:7:83: error: invalid CIDR \"10.0.0.300/8\""},
        {"apiVersion: vpcresources.k8s.aws/v1beta1\nkind: SecurityGroupPolicy\n"
         "metadata: {name: p, namespace: a}\nspec:\n  serviceAccountSelector: {matchLabels: "
         "{x: y}}\n  securityGroups: {groupIds: [sg-1]}\n",
         "in.yaml:5:27: error: serviceAccountSelector is not modelled"},
        {"apiVersion: vpcresources.k8s.aws/v1beta1\nkind: SecurityGroupPolicy\n"
         "metadata: {name: p, namespace: a}\nspec:\n  podSelector: {}\n"
         "  securityGroups: {groupIds: [sg-1, sg-2, sg-3, sg-4, sg-5, sg-6]}\n",
         "a SecurityGroupPolicy names 1 to 5 security groups"},
        {"apiVersion: podnet.dev/v1alpha1\nkind: RemoteNetwork\nmetadata: {name: r}\n"
         "spec: {cidrs: [192.168.0.0/16]}\n",
         "a remote network needs the gateway it is reached by"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tk_world t;
        assert_int_not_equal(tk_load(&t, cases[i].yaml), 0);
        if (!tk_contains(t.msgs, cases[i].message))
            fail_msg("case %zu: %s\nwanted: %s", i, t.msgs, cases[i].message);
        tk_free(&t);
    }
}

/* Every pair of every shipped AWS lab: reach's table and trace's verdict say the same. */
static void reach_and_trace_agree_on_the_labs(void **state)
{
    (void)state;
    /* Up to four files to load, then one to apply (as a scenario step would). */
    static const char *const worlds[][5] = {
        {"scenarios/labs/node-security-groups/cluster.yaml",
         "scenarios/labs/node-security-groups/instances.json",
         "scenarios/labs/node-security-groups/sg-without-self.json", NULL},
        {"scenarios/labs/node-security-groups/cluster.yaml",
         "scenarios/labs/node-security-groups/instances.json",
         "scenarios/labs/node-security-groups/sg-with-self.json", NULL},
        {"scenarios/labs/nacl-ephemeral/cluster.yaml",
         "scenarios/labs/nacl-ephemeral/nacl-no-ephemeral.yaml", NULL, NULL},
        {"scenarios/labs/nacl-ephemeral/cluster.yaml",
         "scenarios/labs/nacl-ephemeral/nacl-fixed.yaml", NULL, NULL},
        {"scenarios/labs/pods-to-internet/vpc.yaml", "scenarios/labs/pods-to-internet/cluster.yaml",
         NULL, NULL},
        {"scenarios/labs/on-premises-tgw/cluster.yaml", NULL, NULL, NULL},
        {"scenarios/labs/imds-hop-limit/cluster.yaml", NULL, NULL, NULL},
        {"scenarios/labs/security-groups-for-pods/cluster.yaml", NULL, NULL, NULL},
        {"scenarios/labs/security-groups-for-pods/cluster.yaml", NULL, NULL, NULL,
         "scenarios/labs/security-groups-for-pods/standard.yaml"},
        {"scenarios/ci/aws-network-changes/vpc.yaml",
         "scenarios/ci/aws-network-changes/cluster.yaml", NULL, NULL,
         "scenarios/ci/aws-network-changes/acl-deny-https.yaml"},
        {"scenarios/labs/subnet-exhaustion/cluster.yaml", NULL, NULL, NULL, NULL},
    };
    const pn_port ports[] = {{80, PN_PROTO_TCP}, {5432, PN_PROTO_TCP}, {53, PN_PROTO_UDP}};
    for (size_t k = 0; k < sizeof worlds / sizeof worlds[0]; k++) {
        pn_arena *arena = pn_arena_new();
        pn_diags *diags = pn_diags_new();
        pn_documents docs = {0};
        for (size_t f = 0; f < 4 && worlds[k][f]; f++)
            assert_int_equal(pn_load_path(arena, diags, worlds[k][f], &docs), 0);
        pn_world *w = pn_world_new();
        assert_int_equal(pn_world_load(w, &docs, NULL, diags), 0);
        pn_documents more = {0};
        if (worlds[k][4]) {
            assert_int_equal(pn_load_path(arena, diags, worlds[k][4], &more), 0);
            assert_int_equal(pn_world_apply(w, &more, NULL, diags), 0);
        }
        pn_ipamd_settle(w, 5 * 60 * PN_SECOND);
        size_t n;
        const pn_pod *pods = pn_world_pods(w, &n);
        pn_reach *r = pn_reach_compute(w, ports, 3, PN_ENGINE_BITSET);
        pn_reach *naive = pn_reach_compute(w, ports, 3, PN_ENGINE_NAIVE);
        assert_true(pn_reach_equal(r, naive));
        for (size_t p = 0; p < 3; p++)
            for (size_t s = 0; s < n; s++)
                for (size_t d = 0; d < n; d++) {
                    if (s == d || pods[s].host_network || pods[d].host_network)
                        continue;
                    char from[300], to[300];
                    snprintf(from, sizeof from, "%s/%s", pods[s].ns_name, pods[s].name);
                    snprintf(to, sizeof to, "%s/%s", pods[d].ns_name, pods[d].name);
                    pn_trace_request req = {.from = from, .to = to, .port = ports[p]};
                    pn_trace_outcome o = {0};
                    const char *why = NULL;
                    assert_true(pn_trace_collect(w, &req, &o, &why) >= 0);
                    if (o.delivered != pn_reach_allowed(r, p, s, d))
                        fail_msg("%s: %s -> %s %u: trace %s, reach %d", worlds[k][0], from, to,
                                 ports[p].number, o.verdict, pn_reach_allowed(r, p, s, d));
                }
        pn_reach_free(r);
        pn_reach_free(naive);
        pn_world_free(w);
        pn_documents_free(&more);
        pn_documents_free(&docs);
        pn_diags_free(diags);
        pn_arena_free(arena);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TK_TEST(same_node_stays_on_the_host),
        TK_TEST(node_group_without_self_reference_cuts_nodes_apart),
        TK_TEST(stateless_acl_needs_the_ephemeral_ports_back),
        TK_TEST(leaving_the_vpc),
        TK_TEST(no_route_without_a_default),
        TK_TEST(imds_hop_limit),
        TK_TEST(listed_interface_groups),
        TK_TEST(bad_network_input),
        TK_TEST(reach_and_trace_agree_on_the_labs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
