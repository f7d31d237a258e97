package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketInfo;

/**
 * The tuple of the packet being looked up, as nf_ct_get_tuple fills it: addresses, then the protocol's part
 * (ports, ICMP id/type/code, the PPTP call id). One per table, reused for every packet.
 */
final class ScratchTuple {
    int l3;
    int proto;
    long sh;
    long sl;
    long dh;
    long dl;
    int sp;
    int dp;

    /** Fills the scratch tuple from the packet (nf_ct_get_tuple); false when the header is short/unsupported. */
    boolean fromPacket(MemorySegment s, PacketInfo pi, int l3, int proto, int off, int l4len) {
        int l3off = pi.l3Offset;
        this.l3 = l3;
        this.proto = proto;
        if (l3 == NFPROTO_IPV4) {
            sh = 0;
            sl = Bytes.u32(s, l3off + 12) & 0xffffffffL;
            dh = 0;
            dl = Bytes.u32(s, l3off + 16) & 0xffffffffL;
        } else {
            sh = Bytes.u64(s, l3off + 8);
            sl = Bytes.u64(s, l3off + 16);
            dh = Bytes.u64(s, l3off + 24);
            dl = Bytes.u64(s, l3off + 32);
        }
        return l4(s, l3, proto, off, l4len);
    }

    /** The transport part of the scratch tuple. */
    boolean l4(MemorySegment s, int l3, int proto, int off, int l4len) {
        switch (proto) {
            case IpProto.TCP, IpProto.UDP, IpProto.UDPLITE, IpProto.SCTP, 33 /* DCCP */ -> {
                if (l4len < 4) {
                    return false;
                }
                sp = Bytes.u16(s, off);
                dp = Bytes.u16(s, off + 2);
                return true;
            }
            case IpProto.ICMP, IpProto.ICMPV6 -> {
                if ((proto == IpProto.ICMP) != (l3 == NFPROTO_IPV4)) {
                    sp = 0;
                    dp = 0;
                    return true;
                }
                if (l4len < 8) {
                    return false;
                }
                sp = Bytes.u16(s, off + 4);
                dp = Bytes.u16(s, off);
                return true;
            }
            case IpProto.GRE -> {
                sp = 0;
                dp = 0;
                if (l4len < 4 || (Bytes.u16(s, off) & 0x7) != 1) {
                    return true; // GRE version 0: like the generic protocol
                }
                if (l4len < 8) {
                    return true;
                }
                if (Bytes.u16(s, off + 2) != 0x880b) {
                    return false; // GREv1 that is not PPTP
                }
                dp = Bytes.u16(s, off + 6); // call id; no PPTP helper keymap: source key 0
                return true;
            }
            default -> {
                sp = 0;
                dp = 0;
                return true;
            }
        }
    }

    void addresses(int l3, long sh, long sl, long dh, long dl, int proto) {
        this.l3 = l3;
        this.proto = proto;
        this.sh = sh;
        this.sl = sl;
        this.dh = dh;
        this.dl = dl;
    }
}
