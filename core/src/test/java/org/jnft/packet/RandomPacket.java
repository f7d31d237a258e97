package org.jnft.packet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A random packet description, its frame (via PacketBuilder), and what the parser must report for it. */
final class RandomPacket {
    static final int ARP = 1;
    static final int RAW = 0;
    static final int RAW_L4 = -2;

    int vlans;
    final int[] tpid = new int[2];
    final int[] tci = new int[2];
    int family; // 4, 6, ARP, RAW
    int l4; // IpProto.TCP/UDP/ICMP/ICMPV6 or RAW_L4 (GRE)
    int optLen;
    final List<Integer> ext = new ArrayList<>();
    int frag; // 0 none, 1 first, 2 later, 3 atomic (IPv6)
    int fragOffset;
    int payloadLen;
    int src4;
    int dst4;
    long s6Hi;
    long s6Lo;
    long d6Hi;
    long d6Lo;
    int ttl;
    int tos;
    int id;
    boolean df;
    int sport;
    int dport;
    int flags;
    int seq;
    int ack;
    int window;
    int mss;
    int icmpType;
    int icmpCode;
    int icmpRest;
    boolean udpZero;
    long mac1;
    long mac2;
    int arpOp;
    byte[] frame;

    static RandomPacket random(Random r) {
        RandomPacket p = new RandomPacket();
        p.mac1 = r.nextLong() & 0xffff_ffff_ffffL;
        p.mac2 = r.nextLong() & 0xffff_ffff_ffffL;
        p.vlans = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0;
        for (int i = 0; i < p.vlans; i++) {
            p.tpid[i] = i == 0 && p.vlans == 2 && r.nextBoolean() ? EtherType.QINQ : EtherType.VLAN;
            p.tci[i] = r.nextInt(0x10000);
        }
        int f = r.nextInt(20);
        p.family = f < 9 ? 4 : f < 18 ? 6 : f == 18 ? ARP : RAW;
        p.payloadLen = r.nextInt(8) == 0 ? r.nextInt(1400) : r.nextInt(64);
        p.src4 = r.nextInt();
        p.dst4 = r.nextInt();
        p.s6Hi = r.nextLong();
        p.s6Lo = r.nextLong();
        p.d6Hi = r.nextLong();
        p.d6Lo = r.nextLong();
        p.ttl = r.nextInt(256);
        p.tos = r.nextInt(256);
        p.id = p.family == 6 ? r.nextInt() : r.nextInt(0x10000);
        p.df = r.nextBoolean();
        int k = r.nextInt(10);
        p.l4 = k < 4 ? IpProto.TCP : k < 7 ? IpProto.UDP : k < 9 ? (p.family == 6 ? IpProto.ICMPV6 : IpProto.ICMP) : RAW_L4;
        p.sport = r.nextInt(0x10000);
        p.dport = r.nextInt(0x10000);
        p.flags = r.nextInt(0x200);
        p.seq = r.nextInt();
        p.ack = r.nextInt();
        p.window = r.nextInt(0x10000);
        p.mss = r.nextBoolean() ? r.nextInt(0x10000) : -1;
        p.icmpType = r.nextInt(256);
        p.icmpCode = r.nextInt(256);
        p.icmpRest = r.nextInt();
        p.udpZero = p.family == 4 && r.nextInt(4) == 0;
        p.arpOp = 1 + r.nextInt(2);
        if (p.family == 4 && r.nextInt(4) == 0) {
            p.optLen = 4 * (1 + r.nextInt(10));
        }
        int fr = r.nextInt(10);
        p.frag = fr < 7 ? 0 : fr == 7 ? 1 : fr == 8 ? 2 : (p.family == 6 ? 3 : 0);
        p.fragOffset = p.frag == 2 ? 8 * (1 + r.nextInt(8000)) : 0;
        if (p.family == 6) {
            int n = r.nextInt(3) == 0 ? r.nextInt(4) : 0;
            int[] kinds = {IpProto.HOPOPTS, IpProto.ROUTING, IpProto.DSTOPTS, IpProto.AH};
            for (int i = 0; i < n; i++) {
                p.ext.add(kinds[r.nextInt(kinds.length)]);
            }
        }
        p.frame = p.build();
        return p;
    }

    byte[] build() {
        PacketBuilder b = PacketBuilder.ether(mac1, mac2);
        for (int i = 0; i < vlans; i++) {
            b.vlan(tpid[i], tci[i]);
        }
        if (family == ARP) {
            return b.arp(arpOp, mac1, src4, 0, dst4).build();
        }
        if (family == RAW) {
            return b.etherType(0x88b5).payloadLength(payloadLen).build();
        }
        if (family == 4) {
            b.ipv4(src4, dst4).id(id).df(df);
            if (optLen > 0) {
                b.ipv4Options(new byte[optLen]);
            }
        } else {
            b.ipv6(s6Hi, s6Lo, d6Hi, d6Lo).id(id);
            for (int e : ext) {
                switch (e) {
                    case IpProto.HOPOPTS -> b.hopByHop();
                    case IpProto.ROUTING -> b.routing();
                    case IpProto.DSTOPTS -> b.destOptions();
                    default -> b.ah();
                }
            }
        }
        b.ttl(ttl).tos(tos);
        if (frag == 1) {
            b.fragment(0, true);
        } else if (frag == 2) {
            b.fragment(fragOffset, r8(fragOffset));
        } else if (frag == 3) {
            b.fragment(0, false);
        }
        switch (l4) {
            case IpProto.TCP -> {
                b.tcp(sport, dport, flags, seq, ack).window(window);
                if (mss >= 0) {
                    b.mss(mss);
                }
            }
            case IpProto.UDP -> {
                b.udp(sport, dport);
                if (udpZero) {
                    b.udpChecksumZero();
                }
            }
            case IpProto.ICMP -> b.icmp(icmpType, icmpCode, icmpRest);
            case IpProto.ICMPV6 -> b.icmpv6(icmpType, icmpCode, icmpRest);
            default -> b.ipProto(IpProto.GRE);
        }
        return b.payloadLength(payloadLen).build();
    }

    private static boolean r8(int x) {
        return (x & 8) != 0;
    }

    boolean moreFragments() {
        return frag == 1 || (frag == 2 && r8(fragOffset));
    }

    int l3Offset() {
        return 14 + 4 * vlans;
    }

    int ipProto() {
        return l4 == RAW_L4 ? IpProto.GRE : l4;
    }

    /** Upper-layer bytes as built (header + payload, or payload alone in a later fragment). */
    int l4Len() {
        if (frag == 2 || l4 == RAW_L4) {
            return payloadLen;
        }
        return switch (l4) {
            case IpProto.TCP -> 20 + (mss >= 0 ? 4 : 0) + payloadLen;
            default -> 8 + payloadLen;
        };
    }

    int extLen() {
        int n = 0;
        for (int e : ext) {
            n += e == IpProto.AH ? 24 : 8;
        }
        return n + (frag != 0 ? 8 : 0);
    }

    int l3Length() {
        return switch (family) {
            case 4 -> 20 + optLen + l4Len();
            case 6 -> 40 + extLen() + l4Len();
            case ARP -> 28;
            default -> payloadLen;
        };
    }

    int ipHeaderLength() {
        return family == 4 ? 20 + optLen : 40 + extLen();
    }

    @Override
    public String toString() {
        return "RandomPacket{family=" + family + ", vlans=" + vlans + ", l4=" + l4 + ", optLen=" + optLen + ", ext=" + ext
                + ", frag=" + frag + ", fragOffset=" + fragOffset + ", payloadLen=" + payloadLen + ", mss=" + mss + "}";
    }
}
