/* ipamd — the Amazon VPC CNI on every node, on the event engine: a simple scheduler that
 * places pods on nodes within kubelet's max-pods, ipamd's pool check every 5 s (warm targets,
 * ENI attach after 10 s, 120 s back-off when the subnet is out of addresses), the CNI ADD that
 * gives a pod an address or leaves it ContainerCreating, and the CNI DEL whose address cools
 * down for 30 s; addresses and prefixes go back at most once per 30 s and unused ENIs are
 * detached (ipamd.go updateIPPoolIfRequired). It writes pod status and node figures into the
 * world. */
#ifndef PN_IPAMD_H
#define PN_IPAMD_H

#include "sim/engine/engine.h"
#include "sim/world/world.h"

#include <stdio.h>

/* Timers, from pkg/ipamd (reference aws-vpc-cni.md §1.3). */
#define PN_IPAMD_POOL_CHECK (5 * PN_SECOND)
#define PN_IPAMD_ENI_ATTACH (10 * PN_SECOND)
#define PN_IPAMD_COOLDOWN (30 * PN_SECOND)
#define PN_IPAMD_DECREASE_GAP (30 * PN_SECOND)
#define PN_IPAMD_SUBNET_BACKOFF (120 * PN_SECOND)

/* The CNI plugin's and scheduler's words, as users see them in events. */
#define PN_REASON_NO_IP "failed to assign an IP address to container"
#define PN_REASON_NO_NODE "0/%d nodes are available: %d Too many pods."

typedef struct pn_ipamd pn_ipamd;

/* Models every node of an AWS-mode world and schedules the pool checks on e. log (may be
 * NULL) receives one line per notable event ("t=15s ipamd node-a: ENI 1 attached"). */
pn_ipamd *pn_ipamd_new(pn_world *w, pn_engine *e, FILE *log);

void pn_ipamd_free(pn_ipamd *d); /* accepts NULL */

/* Catches up with a changed world: schedules new pods, gives them addresses (CNI ADD) and
 * takes back the addresses of deleted ones (CNI DEL). */
void pn_ipamd_sync(pn_ipamd *d);

/* Replays the VPC CNI on a static world for horizon of virtual time (pool checks, ENI attaches)
 * so that pods hold the addresses they would have in a running cluster. */
void pn_ipamd_settle(pn_world *w, pn_time horizon);

#endif
