/* aws — the AWS kinds: VPC, Subnet and RouteTable (EC2 API shapes, also as printed by
 * `aws ec2 describe-*`), VpcCniConfig and the aws-node DaemonSet's settings, ENIConfig. */
#include "sim/input/decode_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- AWS: VPCs, subnets, route tables (EC2 API shapes), VPC CNI settings ---- */

/* The EC2 shapes (describe-vpcs, describe-subnets, describe-route-tables) are read as they are
 * printed, inside a podnet kind's spec or from the CLI's JSON ({"Vpcs": [...]}). */
static const char *const vpc_fields[] = {"VpcId",
                                         "CidrBlock",
                                         "CidrBlockAssociationSet",
                                         "State",
                                         "OwnerId",
                                         "InstanceTenancy",
                                         "IsDefault",
                                         "DhcpOptionsId",
                                         "Tags",
                                         "Ipv6CidrBlockAssociationSet",
                                         "BlockPublicAccessStates",
                                         NULL};

/* Name from metadata.name, else a Tags entry Name, else the id. */
static const char *aws_name(ctx *c, const pn_doc_node *meta_name, const pn_doc_node *item,
                            const char *id)
{
    if (meta_name)
        return meta_name->text;
    const pn_doc_node *tags = pn_doc_get(item, "Tags");
    for (size_t i = 0; tags && tags->kind == PN_DOC_SEQ && i < tags->count; i++) {
        const char *k = pn__decode_string(c, tags->items[i], "Key", "Tags[].Key");
        const char *v = pn__decode_string(c, tags->items[i], "Value", "Tags[].Value");
        if (k && v && strcmp(k, "Name") == 0)
            return v;
    }
    return id;
}

static bool parse_block(ctx *c, const pn_doc_node *n, const char *path, pn_cidr *out)
{
    const char *text = pn__decode_as_string(c, n, path);
    const char *why;
    if (!text) {
        if (!n)
            ERR(c, c->obj, path, "a CIDR block is required");
        return false;
    }
    if (pn_cidr_parse(text, out, &why) != 0) {
        ERR(c, n, path, "invalid CIDR \"%s\": %s", text, why);
        return false;
    }
    if (out->family != 4) {
        ERR(c, n, path, "%s: only IPv4 blocks are modelled", text);
        return false;
    }
    return true;
}

static void decode_vpc_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "a VPC must be a mapping");
        return;
    }
    pn__decode_check_fields(c, item, NULL, vpc_fields);
    pn_vpc v = {0};
    v.id = pn__decode_string(c, item, "VpcId", "VpcId");
    v.name = aws_name(c, meta_name, item, v.id);
    c->kind = "VPC";
    c->name = v.name;
    if (!v.name) {
        ERR(c, item, NULL, "a VPC needs metadata.name or VpcId");
        return;
    }
    pn_cidr block;
    if (parse_block(c, pn_doc_get(item, "CidrBlock"), "CidrBlock", &block))
        v.cidrs[v.cidr_count++] = block;
    const pn_doc_node *set =
        pn__decode_seq(c, item, "CidrBlockAssociationSet", "CidrBlockAssociationSet");
    for (size_t i = 0; set && i < set->count; i++) {
        if (!parse_block(c, pn_doc_get(set->items[i], "CidrBlock"),
                         "CidrBlockAssociationSet[].CidrBlock", &block))
            continue;
        bool seen = false;
        for (size_t k = 0; k < v.cidr_count; k++)
            seen |= v.cidrs[k].addr == block.addr && v.cidrs[k].len == block.len;
        if (!seen && v.cidr_count == PN_VPC_MAX_CIDRS)
            ERR(c, set->items[i], "CidrBlockAssociationSet[].CidrBlock",
                "a VPC has at most %d IPv4 CIDR blocks (AWS's quota at its highest)",
                PN_VPC_MAX_CIDRS);
        else if (!seen)
            v.cidrs[v.cidr_count++] = block;
    }
    pn__decode_declare(c, PN_DECL_VPC, "VPC", NULL, v.name)->u.vpc = v;
}

static const char *const subnet_fields[] = {"SubnetId",
                                            "VpcId",
                                            "CidrBlock",
                                            "AvailabilityZone",
                                            "AvailabilityZoneId",
                                            "Tags",
                                            "State",
                                            "AvailableIpAddressCount",
                                            "DefaultForAz",
                                            "MapPublicIpOnLaunch",
                                            "OwnerId",
                                            "SubnetArn",
                                            "AssignIpv6AddressOnCreation",
                                            "Ipv6CidrBlockAssociationSet",
                                            "EnableDns64",
                                            "Ipv6Native",
                                            "PrivateDnsNameOptionsOnLaunch",
                                            "MapCustomerOwnedIpOnLaunch",
                                            "EnableLniAtDeviceIndex",
                                            "BlockPublicAccessStates",
                                            "Allocated",
                                            NULL};

static void decode_subnet_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "a subnet must be a mapping");
        return;
    }
    pn__decode_check_fields(c, item, NULL, subnet_fields);
    pn_subnet sn = {0};
    sn.id = pn__decode_string(c, item, "SubnetId", "SubnetId");
    sn.name = aws_name(c, meta_name, item, sn.id);
    c->kind = "Subnet";
    c->name = sn.name;
    if (!sn.name) {
        ERR(c, item, NULL, "a subnet needs metadata.name or SubnetId");
        return;
    }
    sn.vpc = pn__decode_string(c, item, "VpcId", "VpcId");
    sn.zone = pn__decode_string(c, item, "AvailabilityZone", "AvailabilityZone");
    if (!parse_block(c, pn_doc_get(item, "CidrBlock"), "CidrBlock", &sn.cidr))
        return;
    const char *why = pn_subnet_cidr_check(&sn.cidr);
    if (why) {
        ERR(c, pn_doc_get(item, "CidrBlock"), "CidrBlock", "%s", why);
        return;
    }
    const pn_doc_node *allocated = pn__decode_seq(c, item, "Allocated", "Allocated");
    pn_decl *d = pn__decode_declare(c, PN_DECL_SUBNET, "Subnet", NULL, sn.name);
    d->u.subnet.origin = pn__decode_origin(c, item);
    d->u.subnet.subnet = sn;
    d->u.subnet.allocated = allocated;
}

static void decode_route_table_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "a route table must be a mapping");
        return;
    }
    pn_route_table rt = {0};
    rt.id = pn__decode_string(c, item, "RouteTableId", "RouteTableId");
    rt.name = aws_name(c, meta_name, item, rt.id);
    rt.vpc = pn__decode_string(c, item, "VpcId", "VpcId");
    c->kind = "RouteTable";
    c->name = rt.name;
    if (!rt.name) {
        ERR(c, item, NULL, "a route table needs metadata.name or RouteTableId");
        return;
    }
    pn_arena *a = c->arena;
    const pn_doc_node *routes = pn__decode_seq(c, item, "Routes", "Routes");
    rt.routes = pn_arena_alloc(a, sizeof(pn_route) * ((routes ? routes->count : 0) + 1));
    for (size_t i = 0; routes && i < routes->count; i++) {
        const pn_doc_node *r = routes->items[i];
        pn_route route = {0};
        const pn_doc_node *dest = pn_doc_get(r, "DestinationCidrBlock");
        if (!dest)
            continue; /* IPv6 or prefix-list routes are not modelled */
        if (!parse_block(c, dest, "Routes[].DestinationCidrBlock", &route.destination))
            continue;
        /* The target: whichever id the route names (EC2 prints one of them). */
        static const char *const target_keys[] = {"GatewayId",
                                                  "NatGatewayId",
                                                  "TransitGatewayId",
                                                  "VpcPeeringConnectionId",
                                                  "NetworkInterfaceId",
                                                  "InstanceId",
                                                  "EgressOnlyInternetGatewayId",
                                                  "LocalGatewayId",
                                                  "CarrierGatewayId",
                                                  "CoreNetworkArn"};
        const char *target = NULL;
        for (size_t k = 0; k < sizeof target_keys / sizeof *target_keys && !target; k++) {
            char path[64];
            pn__path_join(path, sizeof path, "Routes[]", ".%s", target_keys[k]);
            target = pn__decode_string(c, r, target_keys[k], path);
        }
        route.target = pn_route_target_of(target);
        route.target_id = route.target == PN_ROUTE_LOCAL ? NULL : target;
        const char *state = pn__decode_string(c, r, "State", "Routes[].State");
        route.state =
            state && strcmp(state, "blackhole") == 0 ? PN_ROUTE_STATE_BLACKHOLE : PN_ROUTE_ACTIVE;
        rt.routes[rt.route_count++] = route;
    }
    const pn_doc_node *assoc = pn__decode_seq(c, item, "Associations", "Associations");
    rt.subnets = pn_arena_alloc(a, sizeof(char *) * ((assoc ? assoc->count : 0) + 1));
    for (size_t i = 0; assoc && i < assoc->count; i++) {
        const char *sub =
            pn__decode_string(c, assoc->items[i], "SubnetId", "Associations[].SubnetId");
        if (sub)
            rt.subnets[rt.subnet_count++] = sub;
        if (pn__decode_bool(c, assoc->items[i], "Main", "Associations[].Main"))
            rt.is_main = true;
    }
    pn__decode_declare(c, PN_DECL_ROUTE_TABLE, "RouteTable", NULL, rt.name)->u.route_table = rt;
}

/* podnet kinds VPC, Subnet and RouteTable: metadata plus an EC2-shaped spec. */
static void decode_aws_kind(ctx *c, void (*item)(ctx *, const pn_doc_node *, const pn_doc_node *))
{
    const pn_doc_node *md = pn__decode_map(c, c->obj, "metadata", "metadata");
    const pn_doc_node *name = pn_doc_get(md, "name");
    if (name && (name->kind != PN_DOC_SCALAR || pn_doc_scalar_type(name) != PN_SCALAR_STRING)) {
        ERR(c, name, "metadata.name", "must be a string");
        return;
    }
    const pn_doc_node *spec = pn__decode_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    item(c, spec, name);
}

void pn__decode_vpc(ctx *c)
{
    decode_aws_kind(c, decode_vpc_item);
}

void pn__decode_subnet(ctx *c)
{
    decode_aws_kind(c, decode_subnet_item);
}

void pn__decode_route_table(ctx *c)
{
    decode_aws_kind(c, decode_route_table_item);
}

/* The VPC CNI's environment: one setting. */
static void cni_setting(ctx *c, const char *name, const pn_doc_node *value, const char *path)
{
    const char *text = value && value->kind == PN_DOC_SCALAR ? value->text : NULL;
    const char *why;
    pn_cni_settings scratch = pn_cni_defaults(); /* a setting's validity needs no context */
    int rc = pn_cni_setting(&scratch, name, text, &why);
    if (rc < 0)
        ERR(c, value ? value : c->obj, path, "%s=%s: %s", name, text ? text : "", why);
    if (rc == 0) {
        pn_decl *d = pn__decode_declare(c, PN_DECL_CNI_SETTING, NULL, NULL, name);
        d->u.cni_setting.name = name;
        d->u.cni_setting.value = text;
    }
}

/* kind VpcCniConfig: spec.env is a mapping of the aws-node variables. */
void pn__decode_cni_config(ctx *c)
{
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, false, NULL, &m) != 0)
        return;
    pn__decode_declare(c, PN_DECL_CNI_CONFIG, "VpcCniConfig", NULL, m.name);
    const pn_doc_node *spec = pn__decode_map(c, c->obj, "spec", "spec");
    const pn_doc_node *env = pn__decode_map(c, spec, "env", "spec.env");
    for (size_t i = 0; env && i + 1 < env->count; i += 2)
        cni_setting(c, env->items[i]->text, env->items[i + 1], "spec.env");
}

/* The aws-node DaemonSet of a cluster dump carries the settings in its container's env. */
void pn__decode_aws_node_env(ctx *c, const pn_doc_node *spec)
{
    const pn_doc_node *tpl = pn_doc_get(pn_doc_get(spec, "template"), "spec");
    const pn_doc_node *containers = pn_doc_get(tpl, "containers");
    for (size_t i = 0; containers && containers->kind == PN_DOC_SEQ && i < containers->count; i++) {
        const pn_doc_node *name = pn_doc_get(containers->items[i], "name");
        if (!name || name->kind != PN_DOC_SCALAR || strcmp(name->text, "aws-node") != 0)
            continue;
        const pn_doc_node *env = pn_doc_get(containers->items[i], "env");
        for (size_t k = 0; env && env->kind == PN_DOC_SEQ && k < env->count; k++) {
            const pn_doc_node *n = pn_doc_get(env->items[k], "name");
            const pn_doc_node *v = pn_doc_get(env->items[k], "value");
            if (n && n->kind == PN_DOC_SCALAR && v)
                cni_setting(c, n->text, v, "spec.template.spec.containers[].env");
        }
    }
}

/* crd.k8s.amazonaws.com/v1alpha1 ENIConfig: the pod subnet of custom networking. */
void pn__decode_eni_config(ctx *c)
{
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, false, NULL, &m) != 0)
        return;
    pn_decl *d = pn__decode_declare(c, PN_DECL_ENI_CONFIG, "ENIConfig", NULL, m.name);
    const pn_doc_node *spec = pn__decode_map(c, c->obj, "spec", "spec");
    const char *subnet = pn__decode_string(c, spec, "subnet", "spec.subnet");
    const pn_doc_node *sgs = pn__decode_seq(c, spec, "securityGroups", "spec.securityGroups");
    const char **groups = pn_arena_alloc(c->arena, sizeof *groups * ((sgs ? sgs->count : 0) + 1));
    size_t ng = 0;
    for (size_t i = 0; sgs && i < sgs->count; i++) {
        const char *g = pn__decode_as_string(c, sgs->items[i], "spec.securityGroups[]");
        if (g)
            groups[ng++] = g;
    }
    d->u.eni_config = (pn_eni_config){m.name, subnet, groups, ng};
    if (!subnet)
        ERR(c, spec ? spec : c->obj, "spec.subnet", "an ENIConfig needs spec.subnet");
}

/* ---- AWS: the network's objects (security groups, network ACLs, gateways, instances) ---- */

/* A TCP/UDP port or ICMP type/code field of an EC2 rule: -1..65535, absent is -1. */
static int rule_port(ctx *c, const pn_doc_node *parent, const char *key, const char *path)
{
    return (int)pn__decode_int(c, parent, key, path, -1, 65535, -1);
}

/* An IpProtocol or NACL Protocol: "-1", "tcp", "6"... (numbers may come unquoted). */
static bool ip_protocol(ctx *c, const pn_doc_node *parent, const char *key, const char *path,
                        int *out)
{
    const pn_doc_node *n = pn_doc_get(parent, key);
    if (!n || n->kind != PN_DOC_SCALAR) {
        ERR(c, n ? n : parent, path, "%s is required", key);
        return false;
    }
    const char *why;
    if (pn_ipproto_parse(n->text, out, &why) != 0) {
        ERR(c, n, path, "\"%s\": %s", n->text, why);
        return false;
    }
    return true;
}

static const char *const sg_fields[] = {"GroupId",     "GroupName",     "VpcId",
                                        "Description", "IpPermissions", "IpPermissionsEgress",
                                        "OwnerId",     "Tags",          "SecurityGroupArn",
                                        NULL};
static const char *const sg_rule_fields[] = {"IpProtocol",    "FromPort",   "ToPort",
                                             "IpRanges",      "Ipv6Ranges", "UserIdGroupPairs",
                                             "PrefixListIds", NULL};

/* IpPermissions or IpPermissionsEgress. */
static bool sg_rules(ctx *c, const pn_doc_node *item, const char *key, pn_sg_rule **out,
                     size_t *count)
{
    const pn_doc_node *list = pn__decode_seq(c, item, key, key);
    *count = 0;
    *out = pn_arena_alloc(c->arena, sizeof **out * ((list ? list->count : 0) + 1));
    bool ok = true;
    for (size_t i = 0; list && i < list->count; i++) {
        const pn_doc_node *r = list->items[i];
        char path[128];
        pn__path_join(path, sizeof path, key, "[%zu]", i);
        if (r->kind != PN_DOC_MAP) {
            ERR(c, r, path, "a rule must be a mapping");
            ok = false;
            continue;
        }
        pn__decode_check_fields(c, r, path, sg_rule_fields);
        pn_sg_rule rule = {0};
        char field[160];
        if (!ip_protocol(c, r, "IpProtocol",
                         pn__path_join(field, sizeof field, path, ".IpProtocol"), &rule.protocol)) {
            ok = false;
            continue;
        }
        rule.from_port =
            rule_port(c, r, "FromPort", pn__path_join(field, sizeof field, path, ".FromPort"));
        rule.to_port =
            rule_port(c, r, "ToPort", pn__path_join(field, sizeof field, path, ".ToPort"));
        const pn_doc_node *ranges = pn__decode_seq(c, r, "IpRanges", "IpRanges");
        pn_cidr *cidrs =
            pn_arena_alloc(c->arena, sizeof *cidrs * ((ranges ? ranges->count : 0) + 1));
        for (size_t k = 0; ranges && k < ranges->count; k++)
            if (parse_block(c, pn_doc_get(ranges->items[k], "CidrIp"),
                            pn__path_join(field, sizeof field, path, ".IpRanges[%zu].CidrIp", k),
                            &cidrs[rule.cidr_count]))
                rule.cidr_count++;
            else
                ok = false;
        rule.cidrs = cidrs;
        const pn_doc_node *pairs = pn__decode_seq(c, r, "UserIdGroupPairs", "UserIdGroupPairs");
        const char **groups =
            pn_arena_alloc(c->arena, sizeof *groups * ((pairs ? pairs->count : 0) + 1));
        for (size_t k = 0; pairs && k < pairs->count; k++) {
            const char *g = pn__decode_string(
                c, pairs->items[k], "GroupId",
                pn__path_join(field, sizeof field, path, ".UserIdGroupPairs[%zu].GroupId", k));
            if (g)
                groups[rule.group_count++] = g;
        }
        rule.groups = groups;
        char msg[160];
        if (pn_sg_rule_check(&rule, msg, sizeof msg) != 0) {
            ERR(c, r, path, "%s", msg);
            ok = false;
            continue;
        }
        (*out)[(*count)++] = rule;
    }
    return ok;
}

static void decode_sg_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "a security group must be a mapping");
        return;
    }
    pn__decode_check_fields(c, item, NULL, sg_fields);
    pn_secgroup g = {0};
    g.id = pn__decode_string(c, item, "GroupId", "GroupId");
    const char *group_name = pn__decode_string(c, item, "GroupName", "GroupName");
    g.vpc = pn__decode_string(c, item, "VpcId", "VpcId");
    const char *name = aws_name(c, meta_name, item, group_name ? group_name : g.id);
    g.name = name;
    c->kind = "SecurityGroup";
    c->name = name;
    if (!g.id) {
        ERR(c, item, "GroupId", "a security group needs its GroupId (rules refer to it)");
        return;
    }
    pn_sg_rule *in, *out;
    bool ok = sg_rules(c, item, "IpPermissions", &in, &g.ingress_count);
    ok &= sg_rules(c, item, "IpPermissionsEgress", &out, &g.egress_count);
    g.ingress = in;
    g.egress = out;
    if (ok)
        pn__decode_declare(c, PN_DECL_SECURITY_GROUP, "SecurityGroup", NULL, name)->u.secgroup = g;
}

static const char *const nacl_fields[] = {"NetworkAclId", "VpcId",   "IsDefault", "Entries",
                                          "Associations", "OwnerId", "Tags",      NULL};
static const char *const nacl_entry_fields[] = {"RuleNumber", "Protocol",     "RuleAction",
                                                "Egress",     "CidrBlock",    "Ipv6CidrBlock",
                                                "PortRange",  "IcmpTypeCode", NULL};

static void decode_nacl_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "a network ACL must be a mapping");
        return;
    }
    pn__decode_check_fields(c, item, NULL, nacl_fields);
    pn_nacl acl = {0};
    acl.id = pn__decode_string(c, item, "NetworkAclId", "NetworkAclId");
    acl.vpc = pn__decode_string(c, item, "VpcId", "VpcId");
    acl.is_default = pn__decode_bool(c, item, "IsDefault", "IsDefault");
    const char *name = aws_name(c, meta_name, item, acl.id);
    acl.name = name;
    c->kind = "NetworkAcl";
    c->name = name;
    if (!acl.id) {
        ERR(c, item, "NetworkAclId", "a network ACL needs its NetworkAclId");
        return;
    }
    const pn_doc_node *entries = pn__decode_seq(c, item, "Entries", "Entries");
    pn_nacl_entry *es = pn_arena_alloc(c->arena, sizeof *es * ((entries ? entries->count : 0) + 1));
    bool ok = true;
    for (size_t i = 0; entries && i < entries->count; i++) {
        const pn_doc_node *e = entries->items[i];
        char path[64], field[128];
        pn__path_join(path, sizeof path, "Entries", "[%zu]", i);
        if (e->kind != PN_DOC_MAP) {
            ERR(c, e, path, "an entry must be a mapping");
            ok = false;
            continue;
        }
        pn__decode_check_fields(c, e, path, nacl_entry_fields);
        if (!pn_doc_get(e, "CidrBlock"))
            continue; /* IPv6 entries are not modelled */
        pn_nacl_entry en = {0};
        en.number = (int)pn__decode_int(c, e, "RuleNumber",
                                        pn__path_join(field, sizeof field, path, ".RuleNumber"), 1,
                                        PN_NACL_RULE_STAR, 0);
        if (en.number == PN_NACL_RULE_STAR)
            continue; /* the "*" entry EC2 prints: podnet adds it itself */
        bool egress = pn__decode_bool(c, e, "Egress", "Egress");
        bool twice = false;
        for (size_t k = 0; k < acl.entry_count; k++)
            twice |= es[k].number == en.number && es[k].egress == egress;
        if (twice) {
            ERR(c, pn_doc_get(e, "RuleNumber"),
                pn__path_join(field, sizeof field, path, ".RuleNumber"),
                "%s rule %d is listed twice", egress ? "egress" : "ingress", en.number);
            ok = false;
            continue;
        }
        if (!ip_protocol(c, e, "Protocol", pn__path_join(field, sizeof field, path, ".Protocol"),
                         &en.protocol)) {
            ok = false;
            continue;
        }
        en.egress = pn__decode_bool(c, e, "Egress", "Egress");
        const char *action = pn__decode_string(c, e, "RuleAction", "RuleAction");
        if (!action || (strcmp(action, "allow") != 0 && strcmp(action, "deny") != 0)) {
            ERR(c, pn_doc_get(e, "RuleAction") ? pn_doc_get(e, "RuleAction") : e,
                pn__path_join(field, sizeof field, path, ".RuleAction"),
                "RuleAction must be allow or deny");
            ok = false;
            continue;
        }
        en.allow = strcmp(action, "allow") == 0;
        if (!parse_block(c, pn_doc_get(e, "CidrBlock"),
                         pn__path_join(field, sizeof field, path, ".CidrBlock"), &en.cidr)) {
            ok = false;
            continue;
        }
        const pn_doc_node *range = pn__decode_map(c, e, "PortRange", "PortRange");
        en.from_port =
            range ? (int)pn__decode_int(c, range, "From", "PortRange.From", 0, 65535, 0) : 0;
        en.to_port =
            range ? (int)pn__decode_int(c, range, "To", "PortRange.To", 0, 65535, 65535) : 65535;
        es[acl.entry_count++] = en;
    }
    acl.entries = es;
    const pn_doc_node *assoc = pn__decode_seq(c, item, "Associations", "Associations");
    const char **subnets =
        pn_arena_alloc(c->arena, sizeof *subnets * ((assoc ? assoc->count : 0) + 1));
    for (size_t i = 0; assoc && i < assoc->count; i++) {
        const char *s =
            pn__decode_string(c, assoc->items[i], "SubnetId", "Associations[].SubnetId");
        if (s)
            subnets[acl.subnet_count++] = s;
    }
    acl.subnets = subnets;
    char msg[160];
    if (ok && pn_nacl_check(&acl, msg, sizeof msg) != 0) {
        ERR(c, entries ? entries : item, "Entries", "%s", msg);
        ok = false;
    }
    if (ok)
        pn__decode_declare(c, PN_DECL_NETWORK_ACL, "NetworkAcl", NULL, name)->u.nacl = acl;
}

static const char *const nat_fields[] = {"NatGatewayId",
                                         "SubnetId",
                                         "VpcId",
                                         "State",
                                         "ConnectivityType",
                                         "NatGatewayAddresses",
                                         "CreateTime",
                                         "DeleteTime",
                                         "FailureCode",
                                         "FailureMessage",
                                         "Tags",
                                         "ProvisionedBandwidth",
                                         NULL};

static bool parse_address(ctx *c, const pn_doc_node *parent, const char *key, const char *path,
                          pn_ipv4 *out)
{
    const char *text = pn__decode_string(c, parent, key, path);
    *out = 0;
    if (!text)
        return true;
    if (pn_ipv4_parse(text, out) != 0) {
        ERR(c, pn_doc_get(parent, key), path, "\"%s\" is not an IPv4 address", text);
        return false;
    }
    return true;
}

static void decode_nat_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "a NAT gateway must be a mapping");
        return;
    }
    pn__decode_check_fields(c, item, NULL, nat_fields);
    pn_nat_gateway g = {0};
    g.id = pn__decode_string(c, item, "NatGatewayId", "NatGatewayId");
    g.subnet = pn__decode_string(c, item, "SubnetId", "SubnetId");
    g.vpc = pn__decode_string(c, item, "VpcId", "VpcId");
    const char *name = aws_name(c, meta_name, item, g.id);
    c->kind = "NatGateway";
    c->name = name;
    if (!g.id || !g.subnet) {
        ERR(c, item, NULL, "a NAT gateway needs NatGatewayId and SubnetId");
        return;
    }
    const char *state = pn__decode_string(c, item, "State", "State");
    g.available = !state || strcmp(state, "available") == 0;
    const char *type = pn__decode_string(c, item, "ConnectivityType", "ConnectivityType");
    g.is_public = !type || strcmp(type, "public") == 0;
    const pn_doc_node *addrs =
        pn__decode_seq(c, item, "NatGatewayAddresses", "NatGatewayAddresses");
    if (addrs && addrs->count) {
        if (!parse_address(c, addrs->items[0], "PrivateIp", "NatGatewayAddresses[0].PrivateIp",
                           &g.private_ip) ||
            !parse_address(c, addrs->items[0], "PublicIp", "NatGatewayAddresses[0].PublicIp",
                           &g.public_ip))
            return;
    }
    if (g.is_public && !g.public_ip) {
        ERR(c, item, "NatGatewayAddresses", "a public NAT gateway needs a PublicIp");
        return;
    }
    pn__decode_declare(c, PN_DECL_NAT_GATEWAY, "NatGateway", NULL, name)->u.nat = g;
}

static void decode_igw_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    static const char *const fields[] = {"InternetGatewayId", "Attachments", "OwnerId", "Tags",
                                         NULL};
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "an internet gateway must be a mapping");
        return;
    }
    pn__decode_check_fields(c, item, NULL, fields);
    pn_internet_gateway g = {0};
    g.id = pn__decode_string(c, item, "InternetGatewayId", "InternetGatewayId");
    const char *name = aws_name(c, meta_name, item, g.id);
    c->kind = "InternetGateway";
    c->name = name;
    if (!g.id) {
        ERR(c, item, NULL, "an internet gateway needs its InternetGatewayId");
        return;
    }
    const pn_doc_node *att = pn__decode_seq(c, item, "Attachments", "Attachments");
    const char **vpcs = pn_arena_alloc(c->arena, sizeof *vpcs * ((att ? att->count : 0) + 1));
    for (size_t i = 0; att && i < att->count; i++) {
        const char *v = pn__decode_string(c, att->items[i], "VpcId", "Attachments[].VpcId");
        if (v)
            vpcs[g.vpc_count++] = v;
    }
    g.vpcs = vpcs;
    pn__decode_declare(c, PN_DECL_INTERNET_GATEWAY, "InternetGateway", NULL, name)->u.igw = g;
}

/* An instance: its primary interface's address and groups, its public address and metadata
 * options. DescribeInstances prints many more fields; they are not checked. */
static void decode_instance_item(ctx *c, const pn_doc_node *item, const pn_doc_node *meta_name)
{
    if (item->kind != PN_DOC_MAP) {
        ERR(c, item, NULL, "an instance must be a mapping");
        return;
    }
    pn_instance in = {.hop_limit = 1, .metadata_enabled = true};
    in.id = pn__decode_string(c, item, "InstanceId", "InstanceId");
    in.type = pn__decode_string(c, item, "InstanceType", "InstanceType");
    in.subnet = pn__decode_string(c, item, "SubnetId", "SubnetId");
    in.name = aws_name(c, meta_name, item, in.id);
    c->kind = "Instance";
    c->name = in.name;
    if (!in.id && !in.name) {
        ERR(c, item, NULL, "an instance needs metadata.name or InstanceId");
        return;
    }
    if (!parse_address(c, item, "PrivateIpAddress", "PrivateIpAddress", &in.private_ip) ||
        !parse_address(c, item, "PublicIpAddress", "PublicIpAddress", &in.public_ip))
        return;
    const pn_doc_node *groups = pn__decode_seq(c, item, "SecurityGroups", "SecurityGroups");
    const char **ids = pn_arena_alloc(c->arena, sizeof *ids * ((groups ? groups->count : 0) + 1));
    for (size_t i = 0; groups && i < groups->count; i++) {
        const char *g =
            pn__decode_string(c, groups->items[i], "GroupId", "SecurityGroups[].GroupId");
        if (g)
            ids[in.group_count++] = g;
    }
    in.groups = ids;
    const pn_doc_node *nics = pn__decode_seq(c, item, "NetworkInterfaces", "NetworkInterfaces");
    pn_instance_eni *enis = pn_arena_alloc(c->arena, sizeof *enis * ((nics ? nics->count : 0) + 1));
    for (size_t i = 0; nics && i < nics->count; i++) {
        const pn_doc_node *nic = nics->items[i];
        const pn_doc_node *att =
            pn__decode_map(c, nic, "Attachment", "NetworkInterfaces[].Attachment");
        pn_instance_eni e = {
            .device = (int)pn__decode_int(
                c, att, "DeviceIndex", "NetworkInterfaces[].Attachment.DeviceIndex", 0, 255, -1)};
        const pn_doc_node *ng = pn__decode_seq(c, nic, "Groups", "NetworkInterfaces[].Groups");
        const char **gids = pn_arena_alloc(c->arena, sizeof *gids * ((ng ? ng->count : 0) + 1));
        size_t k = 0;
        for (size_t j = 0; ng && j < ng->count; j++) {
            const char *g = pn__decode_string(c, ng->items[j], "GroupId",
                                              "NetworkInterfaces[].Groups[].GroupId");
            if (g)
                gids[k++] = g;
        }
        e.groups = gids;
        e.group_count = k;
        if (e.device >= 0)
            enis[in.eni_count++] = e;
    }
    in.enis = enis;
    const pn_doc_node *md = pn__decode_map(c, item, "MetadataOptions", "MetadataOptions");
    if (md) {
        const char *tokens = pn__decode_string(c, md, "HttpTokens", "MetadataOptions.HttpTokens");
        if (tokens && strcmp(tokens, "required") != 0 && strcmp(tokens, "optional") != 0) {
            ERR(c, pn_doc_get(md, "HttpTokens"), "MetadataOptions.HttpTokens",
                "must be required or optional");
            return;
        }
        in.tokens_required = tokens && strcmp(tokens, "required") == 0;
        in.hop_limit = (int)pn__decode_int(c, md, "HttpPutResponseHopLimit",
                                           "MetadataOptions.HttpPutResponseHopLimit", 1, 64, 1);
        const char *endpoint =
            pn__decode_string(c, md, "HttpEndpoint", "MetadataOptions.HttpEndpoint");
        in.metadata_enabled = !endpoint || strcmp(endpoint, "disabled") != 0;
    }
    pn__decode_declare(c, PN_DECL_INSTANCE, "Instance", NULL, in.name)->u.instance = in;
}

/* podnet's RemoteNetwork: a network beyond a gateway, and what it routes back. */
void pn__decode_remote_network(ctx *c)
{
    static const char *const fields[] = {"cidrs", "gateway", "routesBack", NULL};
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, false, NULL, &m) != 0)
        return;
    const pn_doc_node *spec = pn__decode_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    pn__decode_check_fields(c, spec, "spec", fields);
    pn_remote_network net = {.name = m.name};
    net.gateway = pn__decode_string(c, spec, "gateway", "spec.gateway");
    if (!net.gateway) {
        ERR(c, spec, "spec.gateway", "a remote network needs the gateway it is reached by");
        return;
    }
    const char *keys[2] = {"cidrs", "routesBack"};
    for (int k = 0; k < 2; k++) {
        char path[32];
        pn__path_join(path, sizeof path, "spec", ".%s", keys[k]);
        const pn_doc_node *list = pn__decode_seq(c, spec, keys[k], path);
        pn_cidr *blocks = pn_arena_alloc(c->arena, sizeof *blocks * ((list ? list->count : 0) + 1));
        size_t n = 0;
        for (size_t i = 0; list && i < list->count; i++)
            if (parse_block(c, list->items[i], path, &blocks[n]))
                n++;
            else
                return;
        if (k == 0) {
            net.cidrs = blocks, net.cidr_count = n;
            if (n == 0) {
                ERR(c, spec, path, "a remote network needs at least one block");
                return;
            }
        } else {
            net.routes_back = blocks, net.routes_back_count = n;
        }
    }
    pn__decode_declare(c, PN_DECL_REMOTE_NETWORK, "RemoteNetwork", NULL, m.name)->u.remote = net;
}

void pn__decode_security_group(ctx *c)
{
    decode_aws_kind(c, decode_sg_item);
}

void pn__decode_network_acl(ctx *c)
{
    decode_aws_kind(c, decode_nacl_item);
}

void pn__decode_nat_gateway(ctx *c)
{
    decode_aws_kind(c, decode_nat_item);
}

void pn__decode_internet_gateway(ctx *c)
{
    decode_aws_kind(c, decode_igw_item);
}

void pn__decode_instance(ctx *c)
{
    decode_aws_kind(c, decode_instance_item);
}

/* The output of aws ec2 describe-vpcs, -subnets, -route-tables, -security-groups,
 * -network-acls, -nat-gateways, -internet-gateways and -instances (whose Reservations hold the
 * instances): every list the object has, each item in its EC2 shape. */
bool pn__decode_describe_output(ctx *c, const pn_doc_node *obj)
{
    static const struct {
        const char *key;
        void (*item)(ctx *, const pn_doc_node *, const pn_doc_node *);
    } lists[] = {{"Vpcs", decode_vpc_item},
                 {"Subnets", decode_subnet_item},
                 {"RouteTables", decode_route_table_item},
                 {"SecurityGroups", decode_sg_item},
                 {"NetworkAcls", decode_nacl_item},
                 {"NatGateways", decode_nat_item},
                 {"InternetGateways", decode_igw_item}};
    bool found = false;
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        const pn_doc_node *list = pn_doc_get(obj, lists[k].key);
        if (!list)
            continue;
        found = true;
        if (c->pass != 1)
            continue;
        if (list->kind != PN_DOC_SEQ) {
            ERR(c, list, lists[k].key, "must be a list");
            continue;
        }
        for (size_t i = 0; i < list->count; i++) {
            c->obj = list->items[i];
            lists[k].item(c, list->items[i], NULL);
        }
    }
    const pn_doc_node *res = pn_doc_get(obj, "Reservations");
    if (res) {
        found = true;
        if (c->pass == 1 && res->kind != PN_DOC_SEQ)
            ERR(c, res, "Reservations", "must be a list");
        for (size_t i = 0; c->pass == 1 && res->kind == PN_DOC_SEQ && i < res->count; i++) {
            const pn_doc_node *inst = pn_doc_get(res->items[i], "Instances");
            if (!inst || inst->kind != PN_DOC_SEQ) {
                ERR(c, res->items[i], "Reservations[].Instances", "must be a list");
                continue;
            }
            for (size_t k = 0; k < inst->count; k++) {
                c->obj = inst->items[k];
                decode_instance_item(c, inst->items[k], NULL);
            }
        }
    }
    return found;
}

/* vpcresources.k8s.aws/v1beta1 SecurityGroupPolicy (the VPC resource controller's CRD). */
void pn__decode_sg_policy(ctx *c)
{
    static const char *const spec_fields[] = {"podSelector", "serviceAccountSelector",
                                              "securityGroups", NULL};
    pn__meta m;
    if (pn__decode_metadata(c, c->obj, true, NULL, &m) != 0)
        return;
    const pn_doc_node *spec = pn__decode_map(c, c->obj, "spec", "spec");
    if (!spec) {
        ERR(c, c->obj, "spec", "spec is required");
        return;
    }
    pn__decode_check_fields(c, spec, "spec", spec_fields);
    if (pn_doc_get(spec, "serviceAccountSelector")) {
        /* Pods carry no service account in podnet's model: selecting by it would silently
         * select nothing. */
        ERR(c, pn_doc_get(spec, "serviceAccountSelector"), "spec.serviceAccountSelector",
            "serviceAccountSelector is not modelled: select the pods with podSelector");
        return;
    }
    const pn_doc_node *ps = pn_doc_get(spec, "podSelector");
    if (!ps) {
        ERR(c, spec, "spec.podSelector", "a SecurityGroupPolicy needs spec.podSelector");
        return;
    }
    const pn_selector *sel = pn__decode_selector(c, ps, "spec.podSelector");
    const pn_doc_node *sgs = pn__decode_map(c, spec, "securityGroups", "spec.securityGroups");
    const pn_doc_node *ids = pn__decode_seq(c, sgs, "groupIds", "spec.securityGroups.groupIds");
    if (!sel)
        return;
    if (!ids || ids->count == 0 || ids->count > 5) {
        ERR(c, ids ? ids : spec, "spec.securityGroups.groupIds",
            "a SecurityGroupPolicy names 1 to 5 security groups");
        return;
    }
    const char **groups = pn_arena_alloc(c->arena, sizeof *groups * ids->count);
    size_t n = 0;
    for (size_t i = 0; i < ids->count; i++) {
        const char *g = pn__decode_as_string(c, ids->items[i], "spec.securityGroups.groupIds[]");
        if (!g)
            return;
        groups[n++] = g;
    }
    pn__decode_declare(c, PN_DECL_SG_POLICY, "SecurityGroupPolicy", m.ns, m.name)->u.sg_policy =
        (pn_sg_policy){m.ns, m.name, sel, groups, n};
}
