package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketInfo;

/**
 * UDP and UDP-Lite (nf_conntrack_proto_udp.c): header and checksum checks at prerouting, the unreplied
 * timeout, and after a reply the stream timeout and ASSURED once a packet comes more than 2 s after the first.
 */
final class UdpTracker {
    private UdpTracker() {}

    /** Returns 1 to accept the packet, -1 for INVALID. */
    static int packet(Conntrack ct, CtEntry e, MemorySegment s, PacketInfo pi, int l3, int proto, int off, int l4len,
                      int ctinfo, int hook, int skbLen, long now) {
        if (l4len < 8) {
            return -1;
        }
        int ulen = Bytes.u16(s, off + 4);
        if (proto == IpProto.UDP) {
            if (ulen > l4len || ulen < 8) {
                return -1;
            }
            if (Bytes.u16(s, off + 6) != 0 && hook == HOOK_PRE_ROUTING && ct.params.checksum
                    && !CtIn.l4ChecksumOk(s, pi, l3, proto, off, l4len)) {
                return -1;
            }
        } else {
            if ((ulen != 0 && (ulen < 8 || ulen > l4len)) || Bytes.u16(s, off + 6) == 0) {
                return -1;
            }
            if (hook == HOOK_PRE_ROUTING && ct.params.checksum && !CtIn.l4ChecksumOk(s, pi, l3, proto, off, l4len)) {
                return -1;
            }
        }
        int st = e.status;
        if ((st & IPS_CONFIRMED) == 0) {
            e.streamTs = now + 2 * ConntrackParams.S;
        }
        if ((st & IPS_SEEN_REPLY) != 0) {
            long extra = ct.params.udpTimeout;
            boolean stream = false;
            if (proto == IpProto.UDPLITE || now - e.streamTs > 0) {
                extra = ct.params.udpStreamTimeout;
                stream = (st & IPS_ASSURED) == 0;
            }
            ct.refreshAcct(e, ctinfo, skbLen, extra, now);
            if ((st & IPS_NAT_CLASH) == 0 && stream) {
                e.status |= IPS_ASSURED;
            }
        } else {
            ct.refreshAcct(e, ctinfo, skbLen, ct.params.udpTimeout, now);
        }
        return 1;
    }
}
