package org.jnft.flowtable;

import static org.jnft.conntrack.CtConst.IPS_DST_NAT;
import static org.jnft.conntrack.CtConst.IPS_OFFLOAD;
import static org.jnft.conntrack.CtConst.IPS_SEEN_REPLY;
import static org.jnft.conntrack.CtConst.IPS_SRC_NAT;

import org.jnft.conntrack.Conntrack;
import org.jnft.conntrack.CtConst;
import org.jnft.conntrack.CtEntry;
import org.jnft.conntrack.CtTuple;
import org.jnft.packet.IpProto;

/**
 * The generic flow table (nf_flow_table_core.c): adding a flow for a conntrack entry, refreshing it,
 * tearing it down (handing the entry back to conntrack with the timeouts it should have), and the GC that
 * expires idle flows and keeps offloaded entries from expiring. Runs on the data-plane thread.
 */
public final class FlowCore {
    private final Conntrack ct;
    private final FlowTimeouts timeouts;

    public FlowCore(Conntrack ct, FlowTimeouts timeouts) {
        this.ct = ct;
        this.timeouts = timeouts;
    }

    /**
     * flow_offload_alloc + flow_offload_route_init + flow_offload_add for entry {@code e} (confirmed, OFFLOAD
     * already set by the caller). False when either tuple is already in the table (the caller then clears
     * OFFLOAD and breaks, as nft_flow_offload_eval does).
     */
    public boolean add(Flowtable ft, CtEntry e, FlowRoute rt, long now) {
        boolean ipv6 = !e.orig.isIpv4();
        FlowStore s = ft.store(ipv6);
        int proto = e.orig.proto;
        for (int d = 0; d < 2; d++) {
            CtTuple t = e.tuple(d);
            int ports = (t.srcPort << 16) | (t.dstPort & 0xffff);
            int hit = ipv6 ? s.lookup6(t.srcHi, t.srcLo, t.dstHi, t.dstLo, ports, proto, rt.iif[d])
                    : s.lookup4((int) t.srcLo, (int) t.dstLo, ports, proto, rt.iif[d]);
            if (hit >= 0) {
                return false;
            }
        }
        int id = s.allocate();
        for (int d = 0; d < 2; d++) {
            CtTuple t = e.tuple(d);
            if (ipv6) {
                s.tuple6(id, d, t.srcHi, t.srcLo, t.dstHi, t.dstLo);
                s.nexthop6(id, d, rt.nexthopHi[d], rt.nexthopLo[d]);
            } else {
                s.tuple4(id, d, (int) t.srcLo, (int) t.dstLo);
                s.nexthop4(id, d, rt.nexthop4[d]);
            }
            s.ports(id, d, t.srcPort, t.dstPort);
            s.iif(id, d, rt.iif[d]);
            s.oif(id, d, rt.oif[d]);
            s.mtu(id, d, rt.mtu[d]);
            s.mac(id, d, rt.mac[d]);
        }
        s.proto(id, proto);
        int flags = 0;
        if ((e.status & IPS_SRC_NAT) != 0) {
            flags |= FlowStore.F_SNAT;
        }
        if ((e.status & IPS_DST_NAT) != 0) {
            flags |= FlowStore.F_DNAT;
        }
        s.flags(id, flags);
        s.fibGeneration(id, rt.fibGeneration);
        s.deadline(id, now + timeouts.of(proto));
        ct.get(e); // the flow's reference: conntrack -L shows use=2
        s.link(id, e);
        e.offload = s;
        e.offloadId = id;
        ct.setTimeout(e, now + FlowTimeouts.CT_DAY);
        if (proto == IpProto.TCP) {
            ct.tcpBeLiberal(e);
        }
        ft.added++;
        return true;
    }

    /** flow_offload_refresh: push the deadline out when it moves by more than a second. */
    public void refresh(FlowStore s, int id, int proto, long now) {
        long t = now + timeouts.of(proto);
        if (t - s.deadline(id) > FlowTimeouts.REFRESH_STEP) {
            s.deadline(id, t);
        }
    }

    /**
     * flow_offload_teardown + flow_offload_del: OFFLOAD cleared, conntrack given back the state and timeout
     * it should have (flow_offload_fixup_ct), the flow out of the table and its reference dropped. Flows
     * leave the table at once rather than at the next GC: nothing runs concurrently here.
     */
    public void teardown(FlowStore s, int id, long now) {
        CtEntry e = s.ct(id);
        boolean expired = s.deadline(id) - now <= 0;
        boolean closing = (s.flags(id) & FlowStore.F_CLOSING) != 0;
        s.remove(id);
        e.offload = null;
        e.status &= ~IPS_OFFLOAD;
        fixupCt(e, s, expired, closing, now);
        ct.put(e);
    }

    private void fixupCt(CtEntry e, FlowStore s, boolean expired, boolean closing, long now) {
        int proto = e.orig.proto;
        long timeout;
        long flowTimeout;
        if (proto == IpProto.TCP) {
            if (closing) {
                ct.tcpFlowFixup(e, CtConst.TCP_CLOSE);
                timeout = ct.params.tcpTimeout(CtConst.TCP_CLOSE);
                expired = false;
            } else {
                int state = e.tcpState();
                ct.tcpFlowFixup(e, state);
                timeout = ct.params.tcpTimeout(state);
            }
            flowTimeout = timeouts.tcp;
        } else if (proto == IpProto.UDP) {
            timeout = (e.status & IPS_SEEN_REPLY) != 0 ? ct.params.udpStreamTimeout() : ct.params.udpTimeout();
            flowTimeout = timeouts.udp;
        } else {
            return;
        }
        if (expired) {
            timeout -= flowTimeout;
        }
        if (timeout < 0) {
            timeout = 0;
        }
        if (closing || e.timeout - now > timeout) {
            if ((e.status & CtConst.IPS_FIXED_TIMEOUT) == 0) {
                ct.setTimeout(e, now + timeout);
            }
        }
    }

    /** Conntrack says an offloaded entry is dying: its flow goes now (the GC would see it within a second). */
    public void entryDying(CtEntry e, long now) {
        if (e.offload instanceof FlowStore s && s.ct(e.offloadId) == e) {
            teardown(s, e.offloadId, now);
        }
    }

    /**
     * nf_flow_offload_gc_step over every flow: idle or dying ones torn down, the others' conntrack entries
     * topped up (nf_flow_table_extend_ct_timeout). Returns the number of flows torn down.
     */
    public int gc(Flowtable ft, long now) {
        return gc(ft.v4, now) + gc(ft.v6, now);
    }

    private int gc(FlowStore s, long now) {
        int n = 0;
        int limit = s.limit();
        for (int id = 0; id < limit; id++) {
            CtEntry e = s.ct(id);
            if (e == null) {
                continue;
            }
            if (s.deadline(id) - now <= 0 || e.isDying()) {
                teardown(s, id, now);
                n++;
            } else {
                extendCtTimeout(e, now);
            }
        }
        return n;
    }

    private void extendCtTimeout(CtEntry e, long now) {
        if (e.timeout - now >= FlowTimeouts.CT_MIN_LEFT || !e.isConfirmed() || (e.status & IPS_OFFLOAD) == 0) {
            return;
        }
        long extra;
        switch (e.orig.proto) {
            case IpProto.UDP -> extra = FlowTimeouts.CT_DAY;
            case IpProto.TCP -> extra = switch (e.tcpState()) {
                case CtConst.TCP_ESTABLISHED -> FlowTimeouts.CT_DAY;
                case CtConst.TCP_FIN_WAIT, CtConst.TCP_CLOSE_WAIT, CtConst.TCP_LAST_ACK, CtConst.TCP_TIME_WAIT ->
                        FlowTimeouts.CT_MIN_LEFT;
                default -> 0;
            };
            default -> extra = 0;
        }
        if (extra != 0) {
            ct.setTimeout(e, now + extra);
        }
    }

    /** Tears down every flow (the flowtable is deleted, or its family's conntrack goes away). */
    public void flush(Flowtable ft, long now) {
        for (FlowStore s : new FlowStore[] {ft.v4, ft.v6}) {
            for (int id = 0; id < s.limit(); id++) {
                if (s.ct(id) != null) {
                    teardown(s, id, now);
                }
            }
        }
    }

    /** nf_flow_table_cleanup: flows entering by {@code ifindex} (either direction) are torn down. */
    public int cleanupDevice(Flowtable ft, int ifindex, long now) {
        int n = 0;
        for (FlowStore s : new FlowStore[] {ft.v4, ft.v6}) {
            for (int id = 0; id < s.limit(); id++) {
                if (s.ct(id) != null && (s.iif(id, 0) == ifindex || s.iif(id, 1) == ifindex
                        || s.oif(id, 0) == ifindex || s.oif(id, 1) == ifindex)) {
                    teardown(s, id, now);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * A neighbour's link-layer address changed (or became known): flows whose next hop it is in some
     * direction now send to {@code mac}. -1 forgets the address (the classic path then resolves it again).
     */
    public void neighbourChanged(Flowtable ft, int ifindex, boolean ipv6, long hi, long lo, long mac) {
        FlowStore s = ft.store(ipv6);
        for (int id = 0; id < s.limit(); id++) {
            if (s.ct(id) == null) {
                continue;
            }
            for (int d = 0; d < 2; d++) {
                if (s.oif(id, d) != ifindex) {
                    continue;
                }
                boolean same = ipv6 ? s.nexthop6(id, d, false) == hi && s.nexthop6(id, d, true) == lo
                        : s.nexthop4(id, d) == (int) lo;
                if (same) {
                    s.mac(id, d, mac);
                }
            }
        }
    }
}
