package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import org.jnft.packet.IpProto;

/**
 * GRE (nf_conntrack_proto_gre.c: stream timeout and ASSURED after a reply) and every other protocol
 * (nf_conntrack_proto_generic.c: one timeout, no state).
 */
final class GenericTracker {
    private GenericTracker() {}

    /** Refreshes the entry's timeout; always accepts. */
    static int packet(Conntrack ct, CtEntry e, int proto, int ctinfo, int skbLen, long now) {
        if (proto == IpProto.GRE) {
            if ((e.status & IPS_SEEN_REPLY) != 0) {
                ct.refreshAcct(e, ctinfo, skbLen, ct.params.greStreamTimeout, now);
                if ((e.status & IPS_NAT_CLASH) == 0) {
                    e.status |= IPS_ASSURED;
                }
            } else {
                ct.refreshAcct(e, ctinfo, skbLen, ct.params.greTimeout, now);
            }
            return 1;
        }
        ct.refreshAcct(e, ctinfo, skbLen, ct.params.genericTimeout, now);
        return 1;
    }
}
