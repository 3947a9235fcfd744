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
        if (!seen && v.cidr_count < PN_VPC_MAX_CIDRS)
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
        const char *gw = pn__decode_string(c, r, "GatewayId", "Routes[].GatewayId");
        const char *nat = pn__decode_string(c, r, "NatGatewayId", "Routes[].NatGatewayId");
        const char *pcx =
            pn__decode_string(c, r, "VpcPeeringConnectionId", "Routes[].VpcPeeringConnectionId");
        if (gw && strcmp(gw, "local") == 0)
            route.target = PN_ROUTE_LOCAL;
        else if (gw && strncmp(gw, "igw-", 4) == 0)
            route.target = PN_ROUTE_IGW, route.target_id = gw;
        else if (nat)
            route.target = PN_ROUTE_NAT, route.target_id = nat;
        else if (pcx)
            route.target = PN_ROUTE_PEERING, route.target_id = pcx;
        else
            route.target = PN_ROUTE_OTHER, route.target_id = gw;
        rt.routes[rt.route_count++] = route;
    }
    const pn_doc_node *assoc = pn__decode_seq(c, item, "Associations", "Associations");
    rt.subnets = pn_arena_alloc(a, sizeof(char *) * ((assoc ? assoc->count : 0) + 1));
    for (size_t i = 0; assoc && i < assoc->count; i++) {
        const char *sub =
            pn__decode_string(c, assoc->items[i], "SubnetId", "Associations[].SubnetId");
        if (sub)
            rt.subnets[rt.subnet_count++] = sub;
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

/* The output of aws ec2 describe-vpcs / describe-subnets / describe-route-tables. */
bool pn__decode_describe_output(ctx *c, const pn_doc_node *obj)
{
    static const struct {
        const char *key;
        void (*item)(ctx *, const pn_doc_node *, const pn_doc_node *);
    } lists[] = {{"Vpcs", decode_vpc_item},
                 {"Subnets", decode_subnet_item},
                 {"RouteTables", decode_route_table_item}};
    bool found = false;
    for (size_t k = 0; k < 3; k++) {
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
    return found;
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
    d->u.eni_config = (pn_eni_config){m.name, subnet};
    if (!subnet)
        ERR(c, spec ? spec : c->obj, "spec.subnet", "an ENIConfig needs spec.subnet");
}
