/* tool_ipam — podnet ipam max-pods (the EKS max-pods of instance types, as CSV) and podnet
 * ipam plan (address capacity: nodes, subnets, what runs out first). */
#include "sim/tool/tool.h"

#include "models/instance.h"

#include <stdlib.h>
#include <string.h>

/* Whether a VPC CNI version ("1.9.0", "v1.18.2-eksbuild.1") hands out prefixes: as
 * max-pods-calculator.sh, major > 1, or 1 and minor > 8. Returns 0, or -1 when it is not a
 * version. */
static int cni_version_has_prefixes(const char *version, bool *yes)
{
    const char *p = version[0] == 'v' ? version + 1 : version;
    char *end;
    long major = strtol(p, &end, 10);
    if (end == p || *end != '.')
        return -1;
    const char *q = end + 1;
    long minor = strtol(q, &end, 10);
    if (end == q || (*end && *end != '.' && *end != '-'))
        return -1;
    *yes = major > 1 || (major == 1 && minor > 8);
    return 0;
}

static int ipam_max_pods(const pn_tool_options *o)
{
    bool prefixes = true;
    if (o->cni_version && cni_version_has_prefixes(o->cni_version, &prefixes) != 0)
        return pn_tool_usage_error("--cni-version takes a version such as 1.18.2, not \"%s\"",
                                   o->cni_version);
    /* The data has no vCPU counts (data/aws/SOURCE.md): the 110/250 cap needs --vcpus, and
     * --show-max-allowed drops it as the calculator does. */
    pn_max_pods_options mo = {.prefix_delegation = o->prefix_delegation && prefixes,
                              .custom_networking = o->custom_networking,
                              .vcpus = o->show_max_allowed ? 0 : o->vcpus};
    size_t count = o->instance_type_count ? o->instance_type_count : pn_instance_count();
    for (size_t i = 0; i < count; i++) {
        const char *name = o->instance_type_count ? o->instance_types[i] : NULL;
        const pn_instance_type *t = name ? pn_instance_find(name) : pn_instance_at(i);
        if (!t)
            return pn_tool_usage_error("unknown instance type \"%s\"", name);
    }
    puts("instance_type,max_pods");
    for (size_t i = 0; i < count; i++) {
        const pn_instance_type *t =
            o->instance_type_count ? pn_instance_find(o->instance_types[i]) : pn_instance_at(i);
        printf("%s,%d\n", t->name, pn_instance_max_pods(t, &mo));
    }
    return PN_EXIT_OK;
}

static int ipam_plan(const pn_tool_options *o)
{
    if (o->path_count == 0)
        return pn_tool_usage_error("ipam plan needs -f PATH... (VPC, subnets and nodes)%s", "");
    pn_documents docs = {0};
    pn_world *w = pn_tool_load(o, o->paths, o->path_count, &docs); /* settles for --settle */
    if (!w) {
        pn_documents_free(&docs);
        return PN_EXIT_USAGE;
    }
    if (!pn_world_aws(w)) {
        pn_documents_free(&docs);
        pn_world_free(w);
        return pn_tool_usage_error("ipam plan needs an AWS description (kind VPC and Subnet)%s",
                                   "");
    }
    /* How many more pods fit is asked of the engine, on the same documents (they live in w's
     * arena, so w outlives the trials). */
    pn_session_options so = {.pod_cidr = o->pod_cidr,
                             .strict = o->strict,
                             .pod_limit = o->pod_limit,
                             .aws_settle = o->aws_settle};
    pn_diags *diags = pn_diags_new();
    pn_ipam_fit fit;
    int rc = pn_session_ipam_fit(&docs, &so, &fit, diags);
    pn_diags_flush(diags, stderr);
    pn_diags_free(diags);
    pn_documents_free(&docs);
    if (rc == 0)
        pn_report_ipam_plan(stdout, w, &fit, o->format == PN_FORMAT_JSON);
    pn_ipam_fit_clear(&fit);
    pn_world_free(w);
    return rc == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
}

int pn_tool_ipam(const pn_tool_options *o)
{
    if (o->arg_count == 0)
        return pn_tool_usage_error("ipam takes max-pods or plan%s", "");
    const char *what = o->args[0];
    if (strcmp(what, "max-pods") == 0)
        return ipam_max_pods(o);
    if (strcmp(what, "plan") == 0)
        return ipam_plan(o);
    return pn_tool_usage_error("ipam takes max-pods or plan, not \"%s\"", what);
}
