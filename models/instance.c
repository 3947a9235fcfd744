/* instance — lookups in the generated instance-type table and the EKS max-pods formulas. */
#include "models/instance.h"

#include <limits.h>
#include <string.h>

/* Prefix delegation hands out /28 prefixes: 16 addresses per ENI slot. */
#define PN_IPS_PER_PREFIX 16

/* max-pods-calculator's ceilings: 110 pods up to 30 vCPUs, 250 above. */
#define PN_MAX_PODS_LOW_CPU 110
#define PN_MAX_PODS_HIGH_CPU 250
#define PN_MAX_PODS_LOW_CPU_VCPUS 30

const pn_instance_type *pn_instance_find(const char *name)
{
    if (!name)
        return NULL;
    /* Binary search: the generator refuses a CSV that is not strictly sorted by name in byte
     * order, which is strcmp's order. */
    size_t lo = 0, hi = pn__instance_table_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, pn__instance_table[mid].name);
        if (c == 0)
            return &pn__instance_table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t pn_instance_count(void)
{
    return pn__instance_table_count;
}

const pn_instance_type *pn_instance_at(size_t i)
{
    return i < pn__instance_table_count ? &pn__instance_table[i] : NULL;
}

/* Follows max-pods-calculator.sh (awslabs/amazon-eks-ami @a92d9fde,
 * templates/al2023/runtime/max-pods-calculator.sh), step by step:
 *   1. ENIs = MaximumNetworkInterfaces of the default network card (our max_enis), or
 *      --cni-max-eni when that is smaller;
 *   2. minus 1 with --cni-custom-networking-enabled: the primary ENI keeps the node's subnet
 *      and carries no pods (reference §1.7);
 *   3. prefix delegation, only when the hypervisor is "nitro" (bare metal does not count, unlike
 *      ipamd): ENIs * ((IPv4 per ENI - 1) * 16) + 2, one /28 in each secondary slot;
 *      otherwise secondary IPs: ENIs * (IPv4 per ENI - 1) + 2, the formula
 *      scripts/gen_vpc_ip_limits.go uses for misc/eni-max-pods.txt. The primary address of each
 *      ENI is never a pod's; the +2 is aws-node and kube-proxy, which run on the host network;
 *   4. unless --show-max-allowed, min(result, 110) for <= 30 vCPUs, else min(result, 250).
 *      Without a vCPU count (vcpus == 0) the cap is skipped, as with --show-max-allowed.
 * The calculator requires CNI > 1.8 for prefixes; podnet models current CNIs only. */
int pn_instance_max_pods(const pn_instance_type *t, const pn_max_pods_options *o)
{
    static const pn_max_pods_options defaults = {0};
    if (!t)
        return -1;
    if (!o)
        o = &defaults;

    int64_t enis = t->max_enis;
    if (o->max_eni > 0 && o->max_eni < enis)
        enis = o->max_eni;
    if (o->custom_networking)
        enis -= 1;
    if (enis < 0)
        enis = 0; /* cannot happen with the shipped data (every type has an ENI); kept safe */

    int64_t slots = t->ipv4_per_eni > 0 ? t->ipv4_per_eni - 1 : 0; /* secondary addresses per ENI */
    int64_t pods;
    if (o->prefix_delegation && t->hypervisor == PN_HYPERVISOR_NITRO)
        pods = enis * slots * PN_IPS_PER_PREFIX + 2;
    else
        pods = enis * slots + 2;

    if (o->vcpus > 0) {
        int64_t cap =
            o->vcpus <= PN_MAX_PODS_LOW_CPU_VCPUS ? PN_MAX_PODS_LOW_CPU : PN_MAX_PODS_HIGH_CPU;
        if (pods > cap)
            pods = cap;
    }
    /* At most 65535 * 65534 * 16 + 2 < 2^37 with 16-bit fields, so int64_t holds it; the
     * shipped data tops out at 24 * 63 * 16 + 2 = 24194. */
    return pods > INT_MAX ? INT_MAX : (int)pods;
}

/* awsutils IsPrefixDelegationSupported (aws/amazon-vpc-cni-k8s @b52188387f2e, reference §1.4):
 * nitro hypervisor, or bare metal (whose hypervisor EC2 reports as unknown). */
bool pn_instance_prefix_capable(const pn_instance_type *t)
{
    return t && (t->hypervisor == PN_HYPERVISOR_NITRO || t->bare_metal);
}
