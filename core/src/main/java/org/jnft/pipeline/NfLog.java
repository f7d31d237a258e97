package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.IpProto;
import org.jnft.vm.NftPacket;

/**
 * The line Linux's syslog packet logger (net/netfilter/nf_log_syslog.c, the backend of nft's {@code log}
 * without {@code group}) writes for a packet at a hook, byte for byte, without the syslog level marker and
 * the newline: {@code PREFIX} as given, {@code IN=.. OUT=.. }, the link-layer header when the packet has an
 * input device ({@code MAC=dst:src:type} or, with {@code flags ether}, {@code MACSRC= MACDST= MACPROTO=}),
 * then the IPv4 / IPv6 header and the upper-layer part, with an ICMP/ICMPv6 error's quoted packet in
 * brackets (one level). Like the kernel's, the line usually ends with a space.
 *
 * <p>Lengths are bounded as the kernel's {@code skb_header_pointer} bounds them: by the packet's length from
 * its network header ({@code skb->len} at an IP hook); what does not fit prints {@code TRUNCATED} or
 * {@code INCOMPLETE [n bytes]} as Linux does. Checked against kernel 6.18 lines (NfLogTest).
 *
 * <p>Not reproduced: {@code UID=/GID=} (the {@code skuid} flag needs a socket with a file; the router's own
 * packets have none, so Linux prints nothing either), bridge {@code PHYSIN/PHYSOUT}, hardware VLAN tags
 * ({@code VPROTO/VID}), SIT tunnels. {@code log level audit} and {@code log group N} write no nf_log line:
 * {@link #wantsLine} tells.
 *
 * <p>One instance per data-plane thread: {@link #format} reuses its builder (logging is off the fast path,
 * but a log rule on a busy chain must not churn garbage).
 */
public final class NfLog {
    /** nf_log flags (NF_LOG_*), as {@code vm.Log} carries them. */
    public static final int TCPSEQ = 0x01, TCPOPT = 0x02, IPOPT = 0x04, UID = 0x08, MACDECODE = 0x20;
    /** nft's {@code level audit} (NFT_LOGLEVEL_AUDIT): goes to the audit log, not to nf_log. */
    public static final int LEVEL_AUDIT = 8;

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] HEX_UP = "0123456789ABCDEF".toCharArray();
    private static final int ETH_HLEN = 14;

    private final StringBuilder sb = new StringBuilder(1024);

    /** True when nft's {@code log} with this level and group makes Linux write an nf_log syslog line. */
    public static boolean wantsLine(int level, Integer group) {
        return group == null && level != LEVEL_AUDIT;
    }

    /** The line for {@code p} at {@code p.hook}, in this instance's reused builder (valid until the next call). */
    public StringBuilder format(String prefix, int flags, NftPacket p) {
        sb.setLength(0);
        append(sb, prefix, flags, p);
        return sb;
    }

    /** Appends the line (no newline) for {@code p} to {@code out}. */
    public static void append(StringBuilder out, String prefix, int flags, NftPacket p) {
        MemorySegment s = p.segment;
        long base = p.frameOffset;
        boolean hasIn = !p.iifName.isEmpty();
        // nf_log_dump_packet_common
        out.append(prefix == null ? "" : prefix).append("IN=").append(p.iifName).append(" OUT=").append(p.oifName)
                .append(' ');
        int nh = p.networkOffset;
        int proto = p.protocol;
        if (nh < 0 && p.linkOffset >= 0 && p.frameLength >= p.linkOffset + ETH_HLEN) {
            proto = Bytes.u16(s, base + p.linkOffset + 12);
            nh = p.linkOffset + ETH_HLEN;
        }
        if (nh < 0 || (proto != 0x0800 && proto != 0x86dd && proto != 0x0806 && proto != 0x8035)) {
            // nf_log_unknown_packet (netdev family, other EtherTypes): the link-layer header only.
            macHeader(out, flags, p, nh);
            return;
        }
        long l3 = base + nh;
        int len = Math.max(0, p.frameLength - nh); // skb->len from the network header
        if (proto == 0x0806 || proto == 0x8035) {
            arp(out, flags, p, s, l3, len, nh);
            return;
        }
        if (hasIn) {
            macHeader(out, flags, p, nh);
        }
        if (proto == 0x0800) {
            ipv4(out, flags, s, l3, len, 0, p.mark);
        } else {
            ipv6(out, flags, s, l3, len, 0, true, p.mark);
        }
    }

    /** dump_mac_header for an Ethernet device. */
    private static void macHeader(StringBuilder out, int flags, NftPacket p, int nh) {
        MemorySegment s = p.segment;
        boolean haveMac = p.linkOffset >= 0 && p.frameLength >= p.linkOffset + ETH_HLEN;
        long mac = p.frameOffset + p.linkOffset;
        if ((flags & MACDECODE) != 0) {
            if (!haveMac) {
                return;
            }
            out.append("MACSRC=");
            mac(out, s, mac + 6);
            out.append(" MACDST=");
            mac(out, s, mac);
            out.append(" MACPROTO=");
            hex(out, Bytes.u16(s, mac + 12), 4, HEX);
            out.append(' ');
            return;
        }
        out.append("MAC=");
        if (haveMac && nh != p.linkOffset) {
            for (int i = 0; i < ETH_HLEN; i++) {
                if (i > 0) {
                    out.append(':');
                }
                hex(out, Bytes.u8(s, mac + i), 2, HEX);
            }
        }
        out.append(' ');
    }

    /** dump_arp_packet. */
    private static void arp(StringBuilder out, int flags, NftPacket p, MemorySegment s, long l3, int len, int nh) {
        if ((flags & MACDECODE) != 0 && p.linkOffset >= 0) {
            long mac = p.frameOffset + p.linkOffset;
            out.append("MACSRC=");
            mac(out, s, mac + 6);
            out.append(" MACDST=");
            mac(out, s, mac);
            out.append(" MACPROTO=");
            hex(out, Bytes.u16(s, mac + 12), 4, HEX);
            out.append(' ');
        }
        if (len < 8) {
            out.append("TRUNCATED");
            return;
        }
        int hrd = Bytes.u16(s, l3);
        int pro = Bytes.u16(s, l3 + 2);
        out.append("ARP HTYPE=").append(hrd).append(" PTYPE=0x");
        hex(out, pro, 4, HEX);
        out.append(" OPCODE=").append(Bytes.u16(s, l3 + 6));
        if (hrd != 1 || Bytes.u8(s, l3 + 4) != 6 || Bytes.u8(s, l3 + 5) != 4) {
            return;
        }
        if (len < 28) {
            out.append(" INCOMPLETE [").append(len - 8).append(" bytes]");
            return;
        }
        out.append(" MACSRC=");
        mac(out, s, l3 + 8);
        out.append(" IPSRC=");
        ipv4Addr(out, Bytes.u32(s, l3 + 14));
        out.append(" MACDST=");
        mac(out, s, l3 + 18);
        out.append(" IPDST=");
        ipv4Addr(out, Bytes.u32(s, l3 + 24));
    }

    /** ICMP types whose header must be followed by this many bytes (nf_log's required_len), 0 when none. */
    private static int icmpRequired(int type) {
        return switch (type) {
            case 0, 8 -> 4;
            case 3, 4, 5, 11, 12 -> 28;
            case 13, 14 -> 20;
            case 17, 18 -> 12;
            default -> 0;
        };
    }

    /**
     * dump_ipv4_packet: the header at {@code off} bytes from the network header {@code l3} (0 for the packet,
     * the quoted header of an ICMP error otherwise); {@code len} is the packet's length from l3.
     */
    private static void ipv4(StringBuilder out, int flags, MemorySegment s, long l3, int len, int off, int mark) {
        if (off + 20 > len) {
            out.append("TRUNCATED");
            return;
        }
        long ip = l3 + off;
        int tos = Bytes.u8(s, ip + 1);
        int frag = Bytes.u16(s, ip + 6);
        int ihl = (Bytes.u8(s, ip) & 0x0f) << 2;
        int protocol = Bytes.u8(s, ip + 9);
        out.append("SRC=");
        ipv4Addr(out, Bytes.u32(s, ip + 12));
        out.append(" DST=");
        ipv4Addr(out, Bytes.u32(s, ip + 16));
        out.append(" LEN=").append(Bytes.u16(s, ip + 2)).append(" TOS=0x");
        hex(out, tos & 0x1e, 2, HEX_UP);
        out.append(" PREC=0x");
        hex(out, tos & 0xe0, 2, HEX_UP);
        out.append(" TTL=").append(Bytes.u8(s, ip + 8)).append(" ID=").append(Bytes.u16(s, ip + 4)).append(' ');
        if ((frag & 0x8000) != 0) {
            out.append("CE ");
        }
        if ((frag & 0x4000) != 0) {
            out.append("DF ");
        }
        if ((frag & 0x2000) != 0) {
            out.append("MF ");
        }
        int fragOff = frag & 0x1fff;
        if (fragOff != 0) {
            out.append("FRAG:").append(fragOff).append(' ');
        }
        if ((flags & IPOPT) != 0 && ihl > 20) {
            if (off + ihl > len) {
                out.append("TRUNCATED");
                return;
            }
            out.append("OPT (");
            for (int i = 20; i < ihl; i++) {
                hex(out, Bytes.u8(s, ip + i), 2, HEX_UP);
            }
            out.append(") ");
        }
        int l4 = off + ihl;
        switch (protocol) {
            case IpProto.TCP -> {
                if (tcp(out, flags, s, l3, len, l4, fragOff != 0)) {
                    return;
                }
            }
            case IpProto.UDP, IpProto.UDPLITE -> {
                if (udp(out, s, l3, len, l4, protocol, fragOff != 0)) {
                    return;
                }
            }
            case IpProto.ICMP -> icmp(out, flags, s, l3, len, off, l4, fragOff != 0);
            case IpProto.AH -> {
                if (fragOff == 0) { // Linux prints nothing at all for a non-first AH fragment
                    out.append("PROTO=AH ");
                    if (l4 + 12 > len) {
                        out.append("INCOMPLETE [").append(len - l4).append(" bytes] ");
                    } else {
                        hexTrim(out.append("SPI=0x"), Bytes.u32(s, l3 + l4 + 4)).append(' ');
                    }
                }
            }
            case IpProto.ESP -> {
                out.append("PROTO=ESP ");
                if (fragOff == 0) {
                    if (l4 + 8 > len) {
                        out.append("INCOMPLETE [").append(len - l4).append(" bytes] ");
                    } else {
                        hexTrim(out.append("SPI=0x"), Bytes.u32(s, l3 + l4)).append(' ');
                    }
                }
            }
            default -> out.append("PROTO=").append(protocol).append(' ');
        }
        if (off == 0 && mark != 0) {
            hexTrim(out.append("MARK=0x"), mark).append(' ');
        }
    }

    private static void icmp(StringBuilder out, int flags, MemorySegment s, long l3, int len, int off, int l4,
                             boolean fragment) {
        out.append("PROTO=ICMP ");
        if (fragment) {
            return;
        }
        if (l4 + 8 > len) {
            out.append("INCOMPLETE [").append(len - l4).append(" bytes] ");
            return;
        }
        long h = l3 + l4;
        int type = Bytes.u8(s, h);
        int code = Bytes.u8(s, h + 1);
        out.append("TYPE=").append(type).append(" CODE=").append(code).append(' ');
        int required = icmpRequired(type);
        if (type <= 18 && required != 0 && len - l4 < required) {
            out.append("INCOMPLETE [").append(len - l4).append(" bytes] ");
            return;
        }
        switch (type) {
            case 0, 8 -> out.append("ID=").append(Bytes.u16(s, h + 4)).append(" SEQ=").append(Bytes.u16(s, h + 6))
                    .append(' ');
            case 12 -> out.append("PARAMETER=").append(Bytes.u8(s, h + 4)).append(' ');
            case 5, 3, 4, 11 -> {
                if (type == 5) {
                    out.append("GATEWAY=");
                    ipv4Addr(out, Bytes.u32(s, h + 4));
                    out.append(' ');
                }
                if (off == 0) { // one level of recursion
                    out.append('[');
                    ipv4(out, flags, s, l3, len, l4 + 8, 0);
                    out.append("] ");
                }
                if (type == 3 && code == 4) {
                    out.append("MTU=").append(Bytes.u16(s, h + 6)).append(' ');
                }
            }
            default -> { }
        }
    }

    /** nf_log_dump_tcp_header; true when the caller must stop (the header is incomplete). */
    private static boolean tcp(StringBuilder out, int flags, MemorySegment s, long l3, int len, int l4,
                               boolean fragment) {
        out.append("PROTO=TCP ");
        if (fragment) {
            return false;
        }
        if (l4 + 20 > len) {
            out.append("INCOMPLETE [").append(len - l4).append(" bytes] ");
            return true;
        }
        long t = l3 + l4;
        out.append("SPT=").append(Bytes.u16(s, t)).append(" DPT=").append(Bytes.u16(s, t + 2)).append(' ');
        if ((flags & TCPSEQ) != 0) {
            out.append("SEQ=").append(Bytes.u32(s, t + 4) & 0xffff_ffffL)
                    .append(" ACK=").append(Bytes.u32(s, t + 8) & 0xffff_ffffL).append(' ');
        }
        out.append("WINDOW=").append(Bytes.u16(s, t + 14)).append(' ');
        int b12 = Bytes.u8(s, t + 12);
        int fl = Bytes.u8(s, t + 13);
        out.append("RES=0x");
        hex(out, (b12 & 0x0e) << 2, 2, HEX); // TCP_RESERVED_BITS (0x0E000000) >> 22
        out.append(' ');
        if ((b12 & 0x01) != 0) {
            out.append("AE ");
        }
        if ((fl & 0x80) != 0) {
            out.append("CWR ");
        }
        if ((fl & 0x40) != 0) {
            out.append("ECE ");
        }
        if ((fl & 0x20) != 0) {
            out.append("URG ");
        }
        if ((fl & 0x10) != 0) {
            out.append("ACK ");
        }
        if ((fl & 0x08) != 0) {
            out.append("PSH ");
        }
        if ((fl & 0x04) != 0) {
            out.append("RST ");
        }
        if ((fl & 0x02) != 0) {
            out.append("SYN ");
        }
        if ((fl & 0x01) != 0) {
            out.append("FIN ");
        }
        out.append("URGP=").append(Bytes.u16(s, t + 18)).append(' ');
        int doff = (b12 >>> 4) << 2;
        if ((flags & TCPOPT) != 0 && doff > 20) {
            if (l4 + doff > len) {
                out.append("OPT (TRUNCATED)");
                return true;
            }
            out.append("OPT (");
            for (int i = 20; i < doff; i++) {
                hex(out, Bytes.u8(s, t + i), 2, HEX_UP);
            }
            out.append(") ");
        }
        return false;
    }

    /** nf_log_dump_udp_header; true when the caller must stop. */
    private static boolean udp(StringBuilder out, MemorySegment s, long l3, int len, int l4, int protocol,
                               boolean fragment) {
        out.append(protocol == IpProto.UDP ? "PROTO=UDP " : "PROTO=UDPLITE ");
        if (fragment) {
            return false;
        }
        if (l4 + 8 > len) {
            out.append("INCOMPLETE [").append(len - l4).append(" bytes] ");
            return true;
        }
        long u = l3 + l4;
        out.append("SPT=").append(Bytes.u16(s, u)).append(" DPT=").append(Bytes.u16(s, u + 2))
                .append(" LEN=").append(Bytes.u16(s, u + 4)).append(' ');
        return false;
    }

    /** dump_ipv6_packet: the header at {@code off} from the network header; {@code recurse} only for the outer. */
    private static void ipv6(StringBuilder out, int flags, MemorySegment s, long l3, int len, int off,
                             boolean recurse, int mark) {
        if (off + 40 > len) {
            out.append("TRUNCATED");
            return;
        }
        long ip = l3 + off;
        int w0 = Bytes.u32(s, ip);
        out.append("SRC=");
        ipv6Addr(out, s, ip + 8);
        out.append(" DST=");
        ipv6Addr(out, s, ip + 24);
        out.append(" LEN=").append(Bytes.u16(s, ip + 4) + 40).append(" TC=").append((w0 & 0x0ff00000) >>> 20)
                .append(" HOPLIMIT=").append(Bytes.u8(s, ip + 7)).append(" FLOWLBL=").append(w0 & 0xfffff)
                .append(' ');
        boolean fragment = false;
        int ptr = off + 40;
        int cur = Bytes.u8(s, ip + 6);
        boolean ipopt = (flags & IPOPT) != 0;
        while (cur != IpProto.NONE && isExtHeader(cur)) {
            if (ptr + 2 > len) {
                out.append("TRUNCATED");
                return;
            }
            long h = l3 + ptr;
            if (ipopt) {
                out.append("OPT ( ");
            }
            int hdrlen;
            switch (cur) {
                case IpProto.FRAGMENT -> {
                    out.append("FRAG:");
                    if (ptr + 8 > len) {
                        out.append("TRUNCATED ");
                        return;
                    }
                    int fo = Bytes.u16(s, h + 2);
                    out.append(fo & 0xfff8).append(' ');
                    if ((fo & 1) != 0) {
                        out.append("INCOMPLETE ");
                    }
                    out.append("ID:");
                    hex(out, Bytes.u32(s, h + 4), 8, HEX);
                    out.append(' ');
                    if ((fo & 0xfff8) != 0) {
                        fragment = true;
                    }
                    hdrlen = 8;
                }
                case IpProto.DSTOPTS, IpProto.ROUTING, IpProto.HOPOPTS -> {
                    if (fragment) {
                        if (ipopt) {
                            out.append(')');
                        }
                        return;
                    }
                    hdrlen = (Bytes.u8(s, h + 1) + 1) << 3;
                }
                case IpProto.AH -> {
                    if (ipopt) {
                        out.append("AH ");
                        if (fragment) {
                            out.append(')');
                            return;
                        }
                        if (ptr + 12 > len) {
                            out.append("INCOMPLETE [").append(len - ptr).append(" bytes] )");
                            return;
                        }
                        hexTrim(out.append("SPI=0x"), Bytes.u32(s, h + 4)).append(' ');
                    }
                    hdrlen = (Bytes.u8(s, h + 1) + 2) << 2;
                }
                case IpProto.ESP -> {
                    if (ipopt) {
                        out.append("ESP ");
                        if (fragment) {
                            out.append(')');
                            return;
                        }
                        if (ptr + 8 > len) {
                            out.append("INCOMPLETE [").append(len - ptr).append(" bytes] )");
                            return;
                        }
                        hexTrim(out.append("SPI=0x"), Bytes.u32(s, h)).append(" )");
                    }
                    return;
                }
                default -> {
                    out.append("Unknown Ext Hdr ").append(cur);
                    return;
                }
            }
            if (ipopt) {
                out.append(") ");
            }
            cur = Bytes.u8(s, h);
            ptr += hdrlen;
        }
        switch (cur) {
            case IpProto.TCP -> {
                if (tcp(out, flags, s, l3, len, ptr, fragment)) {
                    return;
                }
            }
            case IpProto.UDP, IpProto.UDPLITE -> {
                if (udp(out, s, l3, len, ptr, cur, fragment)) {
                    return;
                }
            }
            case IpProto.ICMPV6 -> {
                out.append("PROTO=ICMPv6 ");
                if (!fragment) {
                    if (ptr + 8 > len) {
                        out.append("INCOMPLETE [").append(len - ptr).append(" bytes] ");
                        return;
                    }
                    icmpv6(out, flags, s, l3, len, ptr, recurse);
                }
            }
            default -> out.append("PROTO=").append(cur).append(' ');
        }
        if (recurse && mark != 0) {
            hexTrim(out.append("MARK=0x"), mark).append(' ');
        }
    }

    private static void icmpv6(StringBuilder out, int flags, MemorySegment s, long l3, int len, int ptr,
                               boolean recurse) {
        long h = l3 + ptr;
        int type = Bytes.u8(s, h);
        out.append("TYPE=").append(type).append(" CODE=").append(Bytes.u8(s, h + 1)).append(' ');
        switch (type) {
            case 128, 129 -> out.append("ID=").append(Bytes.u16(s, h + 4)).append(" SEQ=")
                    .append(Bytes.u16(s, h + 6)).append(' ');
            case 4, 1, 2, 3 -> {
                if (type == 4) {
                    out.append("POINTER=");
                    hex(out, Bytes.u32(s, h + 4), 8, HEX);
                    out.append(' ');
                }
                if (recurse) {
                    out.append('[');
                    ipv6(out, flags, s, l3, len, ptr + 8, false, 0);
                    out.append("] ");
                }
                if (type == 2) {
                    out.append("MTU=").append(Bytes.u32(s, h + 4) & 0xffff_ffffL).append(' ');
                }
            }
            default -> { }
        }
    }

    /** nf_ip6_ext_hdr. */
    private static boolean isExtHeader(int nh) {
        return nh == IpProto.HOPOPTS || nh == IpProto.ROUTING || nh == IpProto.FRAGMENT || nh == IpProto.ESP
                || nh == IpProto.AH || nh == IpProto.NONE || nh == IpProto.DSTOPTS;
    }

    /** %pI4. */
    private static void ipv4Addr(StringBuilder out, int a) {
        out.append(a >>> 24).append('.').append((a >>> 16) & 0xff).append('.').append((a >>> 8) & 0xff).append('.')
                .append(a & 0xff);
    }

    /** %pI6: eight groups of four lower-case hex digits, no compression. */
    private static void ipv6Addr(StringBuilder out, MemorySegment s, long at) {
        for (int i = 0; i < 8; i++) {
            if (i > 0) {
                out.append(':');
            }
            hex(out, Bytes.u16(s, at + 2L * i), 4, HEX);
        }
    }

    /** %pM. */
    private static void mac(StringBuilder out, MemorySegment s, long at) {
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                out.append(':');
            }
            hex(out, Bytes.u8(s, at + i), 2, HEX);
        }
    }

    /** %x: lower-case hex without leading zeros. */
    private static StringBuilder hexTrim(StringBuilder out, int v) {
        int digits = Math.max(1, 8 - Integer.numberOfLeadingZeros(v) / 4);
        hex(out, v, digits, HEX);
        return out;
    }

    private static void hex(StringBuilder out, int v, int digits, char[] alphabet) {
        for (int i = digits - 1; i >= 0; i--) {
            out.append(alphabet[(v >>> (i * 4)) & 0xf]);
        }
    }
}
