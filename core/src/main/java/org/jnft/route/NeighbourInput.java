package org.jnft.route;

import static org.jnft.route.NudMachine.F_ISROUTER;
import static org.jnft.route.NudMachine.F_OVERRIDE;
import static org.jnft.route.NudMachine.F_OVERRIDE_ISROUTER;
import static org.jnft.route.NudMachine.F_WEAK_OVERRIDE;

/**
 * What received ARP and NDP messages do to the neighbour table: the neigh_update calls of arp_process
 * (net/ipv4/arp.c) and of ndisc_recv_ns, ndisc_recv_na and ndisc_recv_rs (net/ipv6/ndisc.c), after the
 * caller's validation. The parameters and results are documented on {@link NeighbourTable#arpReceived} and
 * its siblings.
 */
final class NeighbourInput {
    private final NeighbourParams[] params;
    private final NeighbourEntries en;
    private final NeighbourGc gc;
    private final NudMachine nud;

    NeighbourInput(NeighbourParams[] params, NeighbourEntries en, NeighbourGc gc, NudMachine nud) {
        this.params = params;
        this.en = en;
        this.gc = gc;
        this.nud = nud;
    }

    /** arp_process. */
    boolean arp(NetDevice device, boolean request, int sip, long sha, int tip, long tha, boolean tipLocal,
                boolean unicastToUs, long now) {
        gc.touch(now);
        if (sip == 0) {
            return true; // a DAD probe (RFC 2131): answered, never learned
        }
        long key = sip & 0xFFFF_FFFFL;
        if (request && tipLocal) {
            // neigh_event_ns: create the sender's entry, STALE with its address, override allowed.
            int e = en.find(false, device.ifindex(), 0, key);
            if (e < 0) {
                e = gc.create(false, device, 0, key, now);
                if (e < 0) {
                    return false;
                }
            }
            nud.update(e, sha & 0xFFFF_FFFF_FFFFL, NudState.STALE, F_OVERRIDE, now);
            return true;
        }
        int e = en.find(false, device.ifindex(), 0, key);
        if (e < 0) {
            return true; // arp_accept = 0: unsolicited ARP creates nothing
        }
        boolean garp = sip == tip && (request || tha == sha);
        boolean override = now > en.updated[e] + params[0].locktime() || garp;
        int newState = !request && unicastToUs ? NudState.REACHABLE : NudState.STALE;
        nud.update(e, sha & 0xFFFF_FFFF_FFFFL, newState, override ? F_OVERRIDE : 0, now);
        return true;
    }

    /** ndisc_recv_ns. */
    boolean ns(NetDevice device, long shi, long slo, long slla, boolean multicastDst, long now) {
        gc.touch(now);
        int e = en.find(true, device.ifindex(), shi, slo);
        if (e < 0 && (!multicastDst || slla >= 0)) {
            e = gc.create(true, device, shi, slo, now);
        }
        if (e < 0) {
            return false;
        }
        nud.update(e, slla < 0 ? -1 : slla & 0xFFFF_FFFF_FFFFL, NudState.STALE, F_WEAK_OVERRIDE | F_OVERRIDE, now);
        return true;
    }

    /** ndisc_recv_na. */
    void na(NetDevice device, long hi, long lo, long tlla, boolean solicited, boolean override, boolean isRouter,
            long now) {
        gc.touch(now);
        int e = en.find(true, device.ifindex(), hi, lo);
        if (e < 0 || en.state[e] == NudState.FAILED) {
            return;
        }
        nud.update(e, tlla < 0 ? -1 : tlla & 0xFFFF_FFFF_FFFFL, solicited ? NudState.REACHABLE : NudState.STALE,
                F_WEAK_OVERRIDE | (override ? F_OVERRIDE : 0) | F_OVERRIDE_ISROUTER | (isRouter ? F_ISROUTER : 0),
                now);
    }

    /** ndisc_recv_rs. */
    void rs(NetDevice device, long shi, long slo, long slla, long now) {
        gc.touch(now);
        if (shi == 0 && slo == 0) {
            return;
        }
        int e = en.find(true, device.ifindex(), shi, slo);
        if (e < 0) {
            e = gc.create(true, device, shi, slo, now);
            if (e < 0) {
                return;
            }
        }
        nud.update(e, slla < 0 ? -1 : slla & 0xFFFF_FFFF_FFFFL, NudState.STALE,
                F_WEAK_OVERRIDE | F_OVERRIDE | F_OVERRIDE_ISROUTER, now);
    }
}
