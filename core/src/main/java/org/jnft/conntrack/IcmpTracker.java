package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketInfo;

/**
 * ICMP and ICMPv6 as Linux tracks them (nf_conntrack_proto_icmp.c, icmpv6.c): queries (echo, timestamp,
 * information, address mask; ICMPv6 echo and node information) are connections keyed by id, type and
 * code; errors are RELATED to the connection of the packet they quote (the inner tuple, inverted, is looked
 * up, and the outer destination must be that connection's destination in that direction); an error about
 * no known connection is INVALID; ICMPv6 neighbour discovery and MLD are untracked.
 */
final class IcmpTracker {
    private IcmpTracker() {
    }

    static final int CONTINUE = 0;
    static final int INVALID = 1;
    static final int DONE = 2;

    /** The reply type of a query type, -1 when the type cannot start a connection's inverse. */
    static int invertType(int l3, int proto, int type) {
        if (proto == IpProto.ICMP) {
            return switch (type) {
                case 8 -> 0;
                case 0 -> 8;
                case 13 -> 14;
                case 14 -> 13;
                case 15 -> 16;
                case 16 -> 15;
                case 17 -> 18;
                case 18 -> 17;
                default -> -1;
            };
        }
        return switch (type) {
            case 128 -> 129;
            case 129 -> 128;
            case 139 -> 140;
            case 140 -> 139;
            default -> -1;
        };
    }

    private static boolean isV4Error(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    private static boolean untrackedV6(int type) {
        return (type >= 130 && type <= 136) || type == 143 || type == 151 || type == 152;
    }

    /**
     * The error half of nf_conntrack_in for ICMP/ICMPv6 (nf_conntrack_handle_icmp): {@link #CONTINUE} for
     * queries (tracked as connections), {@link #DONE} when the packet was attached as RELATED or made
     * untracked, {@link #INVALID} otherwise.
     */
    static int error(CtIn t, MemorySegment s, PacketInfo pi, int l3, int proto, int off, int l4len, int hook,
                     long now, PacketCt pc) {
        if (proto == IpProto.ICMP && l3 != NFPROTO_IPV4 || proto == IpProto.ICMPV6 && l3 != NFPROTO_IPV6) {
            return CONTINUE;
        }
        if (l4len < 8) {
            return INVALID;
        }
        if (hook == HOOK_PRE_ROUTING && t.params.checksum && !CtIn.l4ChecksumOk(s, pi, l3, proto, off, l4len)) {
            return INVALID;
        }
        int type = Bytes.u8(s, off);
        int l3off = pi.l3Offset;
        if (proto == IpProto.ICMP) {
            if (type > 18) {
                return INVALID;
            }
            if (!isV4Error(type)) {
                return CONTINUE;
            }
            long dst = Bytes.u32(s, l3off + 16) & 0xffffffffL;
            return related(t, s, l3, off + 8, l4len - 8, 0, dst, now, pc);
        }
        if (untrackedV6(type)) {
            pc.setUntracked();
            return DONE;
        }
        long dh = Bytes.u64(s, l3off + 24);
        long dl = Bytes.u64(s, l3off + 32);
        if (type == 137) { // redirect
            if (l4len < 40) {
                return INVALID;
            }
            if (Bytes.u8(s, off + 1) != 0) {
                return CONTINUE;
            }
            int hl = Bytes.u8(s, l3off + 7);
            long sh = Bytes.u64(s, l3off + 8);
            if (hl != 255 || (sh >>> 54) != (0xfe80L >>> 6)) {
                return INVALID;
            }
            if (l4len < 42 || Bytes.u8(s, off + 41) == 0) {
                return INVALID;
            }
            if (Bytes.u8(s, off + 40) != 4) {
                return CONTINUE;
            }
            return related(t, s, l3, off + 48, l4len - 48, dh, dl, now, pc);
        }
        if (type >= 128) {
            return CONTINUE;
        }
        return related(t, s, l3, off + 8, l4len - 8, dh, dl, now, pc);
    }

    /** nf_conntrack_inet_error over the quoted packet at {@code io} ({@code il} bytes). */
    private static int related(CtIn t, MemorySegment s, int l3, int io, int il, long odh, long odl, long now,
                               PacketCt pc) {
        int proto;
        int lo;
        if (l3 == NFPROTO_IPV4) {
            if (il < 20) {
                return INVALID;
            }
            int ihl = (Bytes.u8(s, io) & 0xf) * 4;
            if (ihl < 20 || ihl > il) {
                return INVALID;
            }
            if ((Bytes.u16(s, io + 6) & 0x1fff) != 0) {
                return INVALID;
            }
            proto = Bytes.u8(s, io + 9);
            t.scratchAddresses(l3, 0, Bytes.u32(s, io + 12) & 0xffffffffL, 0, Bytes.u32(s, io + 16) & 0xffffffffL, proto);
            lo = io + ihl;
        } else {
            if (il < 40) {
                return INVALID;
            }
            int nh = Bytes.u8(s, io + 6);
            int p = io + 40;
            int end = io + il;
            for (int guard = 0; guard < 32; guard++) {
                if (nh == IpProto.HOPOPTS || nh == IpProto.ROUTING || nh == IpProto.DSTOPTS) {
                    if (p + 2 > end) {
                        return INVALID;
                    }
                    nh = Bytes.u8(s, p);
                    p += (Bytes.u8(s, p + 1) + 1) * 8;
                } else if (nh == IpProto.AH) {
                    if (p + 2 > end) {
                        return INVALID;
                    }
                    nh = Bytes.u8(s, p);
                    p += (Bytes.u8(s, p + 1) + 2) * 4;
                } else if (nh == IpProto.FRAGMENT) {
                    if (p + 8 > end) {
                        return INVALID;
                    }
                    if ((Bytes.u16(s, p + 2) & ~0x7) != 0) {
                        return INVALID;
                    }
                    nh = Bytes.u8(s, p);
                    p += 8;
                } else {
                    break;
                }
            }
            if (nh == IpProto.NONE || p > end) {
                return INVALID;
            }
            proto = nh;
            t.scratchAddresses(l3, Bytes.u64(s, io + 8), Bytes.u64(s, io + 16), Bytes.u64(s, io + 24),
                    Bytes.u64(s, io + 32), proto);
            lo = p;
        }
        int ll = io + il - lo;
        if (ll < 0 || !t.l4Tuple(s, l3, proto, lo, ll)) {
            return INVALID;
        }
        CtTuple h = t.findInverse(pc.zone, now);
        if (h == null) {
            return INVALID;
        }
        CtEntry e = h.ct;
        CtTuple d = e.tuple(h.dir);
        if (d.dstHi != odh || d.dstLo != odl) {
            return INVALID;
        }
        e.refs++;
        pc.ct = e;
        pc.ctinfo = h.dir == DIR_REPLY ? IP_CT_RELATED_REPLY : IP_CT_RELATED;
        return DONE;
    }

    /** icmp_packet / icmpv6_packet: >0 accept, -1 invalid. */
    static int packet(Conntrack t, CtEntry e, MemorySegment s, PacketInfo pi, int l3, int proto, int off, int l4len,
                      int ctinfo, int hook, int skbLen, long now) {
        int type = e.orig.dstPort >>> 8;
        if (proto == IpProto.ICMP) {
            if (l3 != NFPROTO_IPV4) {
                return -1;
            }
            if (type != 8 && type != 13 && type != 15 && type != 17) {
                return -1;
            }
            t.refreshAcct(e, ctinfo, skbLen, t.params.icmpTimeout, now);
            return 1;
        }
        if (l3 != NFPROTO_IPV6) {
            return -1;
        }
        if ((e.status & IPS_CONFIRMED) == 0 && type != 128 && type != 139) {
            return -1;
        }
        t.refreshAcct(e, ctinfo, skbLen, t.params.icmpv6Timeout, now);
        return 1;
    }
}
