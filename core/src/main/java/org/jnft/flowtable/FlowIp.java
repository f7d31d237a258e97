package org.jnft.flowtable;

import java.lang.foreign.MemorySegment;
import org.jnft.conntrack.CtEntry;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;

/**
 * The fast path at a flowtable's ingress hook (nf_flow_table_ip.c: nf_flow_offload_ip_hook and
 * nf_flow_offload_ipv6_hook), in the kernel's order: parse (no fragments, no IPv4 options, no IPv6
 * extension headers, TTL / hop limit above 1), lookup, MTU, TCP flags, route validity, refresh, NAT, TTL,
 * counters. On a hit the IP packet is rewritten in place and the caller writes the link-layer header and
 * transmits; anything else goes to the classic path untouched (except a SYN on a closing flow, which tears
 * the flow down first). Nothing here allocates, locks or throws.
 */
public final class FlowIp {
    /** Not an IPv4/IPv6 TCP/UDP/GRE packet the flowtable could know: not counted. */
    public static final int PASS = -2;
    /** A miss: the packet goes on along the classic path. */
    public static final int MISS = -1;

    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST = 0x04;

    private final FlowCore core;
    /** The IP length (header included) of the packet the last hit forwarded: what the caller transmits. */
    public int length;
    /** The next hop's MAC and the output device of the last hit's direction. */
    public long mac;
    public int oif;

    public FlowIp(FlowCore core) {
        this.core = core;
    }

    /**
     * An IPv4 packet at {@code l3} ({@code avail} bytes from there to the frame's end) arriving on
     * {@code iif}: returns {@code id << 1 | dir} of the flow that forwarded it, {@link #MISS} or {@link #PASS}.
     */
    public int forward4(Flowtable ft, MemorySegment seg, long l3, int avail, int iif, int fibGeneration, long now) {
        if (avail < 20) {
            return PASS;
        }
        // the IPv4 header in two reads: version .. fragment offset; TTL, protocol, checksum, source
        long w0 = Bytes.u64(seg, l3);
        long w1 = Bytes.u64(seg, l3 + 8);
        int vihl = (int) (w0 >>> 56);
        int proto = (int) (w1 >>> 48) & 0xff;
        if ((vihl >>> 4) != 4 || !(proto == IpProto.TCP || proto == IpProto.UDP || proto == IpProto.GRE)) {
            return PASS;
        }
        int totLen = (int) (w0 >>> 32) & 0xffff;
        int ttl = (int) (w1 >>> 56);
        // nf_flow_tuple_ip: no options, no fragments, the transport header present, TTL above 1
        if (vihl != 0x45 || ((int) w0 & 0x3fff) != 0 || totLen > avail || totLen < 20 + minHeader(proto) || ttl <= 1) {
            return miss(ft);
        }
        long l4 = l3 + 20;
        long w2 = Bytes.u64(seg, l3 + 16); // the destination, then the ports (or GRE's flags and version)
        int ports;
        if (proto == IpProto.GRE) {
            if (((int) (w2 >>> 16) & 0x7) != 0) {
                return miss(ft); // GRE version 0 only
            }
            ports = 0;
        } else {
            ports = (int) w2;
        }
        int src = (int) w1;
        int dst = (int) (w2 >>> 32);
        FlowStore s = ft.v4;
        int ref = s.lookup4(src, dst, ports, proto, iif);
        if (ref < 0) {
            return miss(ft);
        }
        int id = ref >>> 1;
        int dir = ref & 1;
        // a dying entry's flow is gone already (FlowCore.entryDying): no need to look at the entry here
        if (totLen > s.mtu(id, dir)) {
            return miss(ft); // nf_flow_exceeds_mtu: the classic path fragments or sends ICMP
        }
        int flags = s.flags(id);
        if (proto == IpProto.TCP && !tcpState(s, id, flags, seg, l4, now)) {
            return miss(ft);
        }
        if (s.fibGeneration(id) != fibGeneration) {
            core.teardown(s, id, now); // nf_flow_dst_check failed: the route changed
            return miss(ft);
        }
        long nextMac = s.mac(id, dir);
        if (nextMac < 0) {
            return miss(ft); // the next hop is not resolved yet: the classic path asks
        }
        core.refresh(s, id, proto, now);
        int ipCheck = (int) (w1 >>> 32) & 0xffff;
        if ((flags & (FlowStore.F_SNAT | FlowStore.F_DNAT)) != 0) {
            ipCheck = nat4(s, id, dir, seg, l3, l4, proto, src, dst, ports, ipCheck);
        }
        // ip_decrease_ttl; TTL, protocol and checksum in one write
        ipCheck = Checksum.decreaseTtl(ipCheck);
        Bytes.setU32(seg, l3 + 8, (ttl - 1) << 24 | proto << 16 | ipCheck);
        if (ft.counter()) {
            acct(s.ct(id), dir, totLen);
        }
        ft.hits++;
        length = totLen;
        mac = nextMac;
        oif = s.oif(id, dir);
        return ref;
    }

    /** An IPv6 packet: as {@link #forward4}. */
    public int forward6(Flowtable ft, MemorySegment seg, long l3, int avail, int iif, int fibGeneration, long now) {
        if (avail < 40) {
            return PASS;
        }
        int next = Bytes.u8(seg, l3 + 6);
        if ((Bytes.u8(seg, l3) >>> 4) != 6 || !(next == IpProto.TCP || next == IpProto.UDP || next == IpProto.GRE)) {
            return PASS; // extension headers are not looked through (nf_flow_tuple_ipv6)
        }
        int len = 40 + Bytes.u16(seg, l3 + 4);
        if (len > avail || len < 40 + minHeader(next) || Bytes.u8(seg, l3 + 7) <= 1) {
            return miss(ft);
        }
        long l4 = l3 + 40;
        int ports;
        if (next == IpProto.GRE) {
            if ((Bytes.u16(seg, l4) & 0x7) != 0) {
                return miss(ft);
            }
            ports = 0;
        } else {
            ports = Bytes.u32(seg, l4);
        }
        long sh = Bytes.u64(seg, l3 + 8);
        long sl = Bytes.u64(seg, l3 + 16);
        long dh = Bytes.u64(seg, l3 + 24);
        long dl = Bytes.u64(seg, l3 + 32);
        FlowStore s = ft.v6;
        int ref = s.lookup6(sh, sl, dh, dl, ports, next, iif);
        if (ref < 0) {
            return miss(ft);
        }
        int id = ref >>> 1;
        int dir = ref & 1;
        if (len > s.mtu(id, dir)) {
            return miss(ft);
        }
        int flags = s.flags(id);
        if (next == IpProto.TCP && !tcpState(s, id, flags, seg, l4, now)) {
            return miss(ft);
        }
        if (s.fibGeneration(id) != fibGeneration) {
            core.teardown(s, id, now);
            return miss(ft);
        }
        long nextMac = s.mac(id, dir);
        if (nextMac < 0) {
            return miss(ft);
        }
        core.refresh(s, id, next, now);
        if ((flags & (FlowStore.F_SNAT | FlowStore.F_DNAT)) != 0) {
            nat6(s, id, dir, seg, l3, l4, next, sh, sl, dh, dl, ports);
        }
        Bytes.setU8(seg, l3 + 7, Bytes.u8(seg, l3 + 7) - 1); // no header checksum in IPv6
        if (ft.counter()) {
            acct(s.ct(id), dir, len);
        }
        ft.hits++;
        length = len;
        mac = nextMac;
        oif = s.oif(id, dir);
        return ref;
    }

    /** A miss: counted, and the packet goes on along the classic path. */
    private static int miss(Flowtable ft) {
        ft.misses++;
        return MISS;
    }

    private static int minHeader(int proto) {
        return proto == IpProto.TCP ? 20 : proto == IpProto.UDP ? 8 : 4;
    }

    /**
     * nf_flow_state_check: FIN or RST marks the flow CLOSING and stays on the fast path; a SYN on a closing
     * flow tears it down and goes to the classic path (which may reopen the connection).
     */
    private boolean tcpState(FlowStore s, int id, int f, MemorySegment seg, long l4, long now) {
        int flags = Bytes.u8(seg, l4 + 13);
        if ((flags & TCP_SYN) != 0 && (f & FlowStore.F_CLOSING) != 0) {
            core.teardown(s, id, now);
            return false;
        }
        if ((flags & (TCP_FIN | TCP_RST)) != 0 && (f & FlowStore.F_CLOSING) == 0) {
            s.flags(id, f | FlowStore.F_CLOSING);
        }
        return true;
    }

    /** nf_ct_acct_update: fast-path packets counted on the entry (when conntrack accounting is on). */
    private static void acct(CtEntry e, int dir, int len) {
        if (!e.acct) {
            return;
        }
        if (dir == 0) {
            e.origPackets++;
            e.origBytes += len;
        } else {
            e.replyPackets++;
            e.replyBytes += len;
        }
    }

    /**
     * nf_flow_snat_ip/port and nf_flow_dnat_ip/port in one step: after NAT a packet of direction d carries
     * the inverse of the other direction's tuple, so each changed field takes the other tuple's value, with
     * the IP header and transport checksums updated incrementally (a zero UDP checksum stays zero). Returns
     * the IP header checksum {@code ipCheck} updated for the new addresses (not written).
     */
    private static int nat4(FlowStore s, int id, int dir, MemorySegment seg, long l3, long l4, int proto, int src,
                            int dst, int ports, int ipCheck) {
        int other = dir ^ 1;
        int nsrc = s.dst4(id, other);
        int ndst = s.src4(id, other);
        int op = s.ports(id, other);
        int nports = (op << 16) | (op >>> 16);
        long ck = l4 + (proto == IpProto.TCP ? 16 : 6);
        boolean l4ck = proto == IpProto.TCP || proto == IpProto.UDP;
        int check = l4ck ? Bytes.u16(seg, ck) : 0;
        boolean udp = proto == IpProto.UDP;
        if (nsrc != src) {
            Bytes.setU32(seg, l3 + 12, nsrc);
            ipCheck = Checksum.update32(ipCheck, src, nsrc);
            if (l4ck) {
                check = udp ? Checksum.udpUpdate32(check, src, nsrc) : Checksum.update32(check, src, nsrc);
            }
        }
        if (ndst != dst) {
            Bytes.setU32(seg, l3 + 16, ndst);
            ipCheck = Checksum.update32(ipCheck, dst, ndst);
            if (l4ck) {
                check = udp ? Checksum.udpUpdate32(check, dst, ndst) : Checksum.update32(check, dst, ndst);
            }
        }
        if (l4ck) {
            if (nports != ports) {
                Bytes.setU32(seg, l4, nports);
                check = udp ? Checksum.udpUpdate32(check, ports, nports) : Checksum.update32(check, ports, nports);
            }
            Bytes.setU16(seg, ck, check);
        }
        return ipCheck; // the caller writes it with the TTL
    }

    private static void nat6(FlowStore s, int id, int dir, MemorySegment seg, long l3, long l4, int proto, long sh,
                             long sl, long dh, long dl, int ports) {
        int other = dir ^ 1;
        long nsh = s.addr6(id, other, 2);
        long nsl = s.addr6(id, other, 3);
        long ndh = s.addr6(id, other, 0);
        long ndl = s.addr6(id, other, 1);
        int op = s.ports(id, other);
        int nports = (op << 16) | (op >>> 16);
        long ck = l4 + (proto == IpProto.TCP ? 16 : 6);
        boolean l4ck = proto == IpProto.TCP || proto == IpProto.UDP;
        int check = l4ck ? Bytes.u16(seg, ck) : 0;
        if (nsh != sh || nsl != sl) {
            Bytes.setU64(seg, l3 + 8, nsh);
            Bytes.setU64(seg, l3 + 16, nsl);
            check = Checksum.update128(check, sh, sl, nsh, nsl);
        }
        if (ndh != dh || ndl != dl) {
            Bytes.setU64(seg, l3 + 24, ndh);
            Bytes.setU64(seg, l3 + 32, ndl);
            check = Checksum.update128(check, dh, dl, ndh, ndl);
        }
        if (l4ck) {
            if (nports != ports) {
                Bytes.setU32(seg, l4, nports);
                check = Checksum.update32(check, ports, nports);
            }
            if (proto == IpProto.UDP && check == 0) {
                check = 0xffff; // no zero checksum in IPv6 UDP
            }
            Bytes.setU16(seg, ck, check);
        }
    }
}
