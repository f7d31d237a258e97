package org.jnft.packet;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A fluent builder of Ethernet frames with correct lengths and checksums, for tests and the demo (not
 * for the data plane: it allocates). Start with {@link #ether(long, long)}, optionally add VLAN tags,
 * pick a network layer ({@link #ipv4}, {@link #ipv6}, {@link #arp}, or a raw {@link #etherType}), an
 * upper layer ({@link #udp}, {@link #tcp}, {@link #icmpEcho}, {@link #icmp}, {@link #icmpv6Echo},
 * {@link #icmpv6}, {@link #neighbourSolicit}, {@link #neighbourAdvert}, or a raw {@link #ipProto}), a
 * payload, then {@link #build()}.
 *
 * <pre>{@code
 * byte[] frame = PacketBuilder.ether(srcMac, dstMac).vlan(10)
 *         .ipv4(src, dst).ttl(64).df(true)
 *         .tcp(41000, 443, TcpView.SYN, 1000, 0).mss(1460)
 *         .build();
 * }</pre>
 *
 * Defaults: TTL / hop limit 64 (255 for Neighbour Discovery), TOS 0, id 0, DF clear, TCP window 65535,
 * no payload. IPv6 extension headers ({@link #hopByHop()}, {@link #routing()}, {@link #destOptions()},
 * {@link #ah()}, {@link #fragment(int, boolean)}) appear in the order they are added. A fragment with a
 * non-zero offset carries only the payload (no upper-layer header), with the upper layer's protocol
 * number; the upper-layer checksum of a first fragment covers only the bytes in that fragment.
 */
public final class PacketBuilder {
    private static final int L3_RAW = 0;
    private static final int L3_V4 = 4;
    private static final int L3_V6 = 6;
    private static final int L3_ARP = 1;

    private static final int L4_NONE = -1;

    private final long ethSrc;
    private final long ethDst;
    private final int[] vlanTpid = new int[4];
    private final int[] vlanTci = new int[4];
    private int vlanCount;

    private int l3 = L3_RAW;
    private int rawEtherType = -1;

    private int v4Src;
    private int v4Dst;
    private int ttl = 64;
    private boolean ttlSet;
    private int tos;
    private int id;
    private boolean df;
    private byte[] v4Options = new byte[0];
    private int fragOffset;
    private boolean moreFragments;
    private boolean fragmented;

    private long s6Hi;
    private long s6Lo;
    private long d6Hi;
    private long d6Lo;
    private int flowLabel;
    private final List<int[]> extTypes = new ArrayList<>();
    private final List<byte[]> extBodies = new ArrayList<>();

    private int arpOp;
    private long arpSha;
    private int arpSpa;
    private long arpTha;
    private int arpTpa;

    private int l4Proto = L4_NONE;
    private boolean rawL4;
    private int sport;
    private int dport;
    private int tcpFlags;
    private int seq;
    private int ack;
    private int window = 65535;
    private int mss = -1;
    private byte[] tcpOptions = new byte[0];
    private int icmpType;
    private int icmpCode;
    private int icmpRest;
    private byte[] icmpBody = new byte[0];
    private boolean udpChecksumZero;
    private boolean badIpChecksum;
    private boolean badL4Checksum;

    private byte[] payload = new byte[0];
    private int padTo;

    private PacketBuilder(long src, long dst) {
        this.ethSrc = src;
        this.ethDst = dst;
    }

    /** Starts a frame from {@code src} to {@code dst} (MACs as longs). */
    public static PacketBuilder ether(long src, long dst) {
        return new PacketBuilder(src, dst);
    }

    /** Adds an 802.1Q tag (TPID 0x8100) with this VLAN id and priority 0; the first call is the outer tag. */
    public PacketBuilder vlan(int vid) {
        return vlan(EtherType.VLAN, vid & 0xfff);
    }

    /** Adds a tag with an explicit TPID (0x8100, 0x88A8, or anything for tests) and TCI. */
    public PacketBuilder vlan(int tpid, int tci) {
        if (vlanCount == vlanTci.length) {
            throw new IllegalStateException("at most " + vlanTci.length + " VLAN tags");
        }
        vlanTpid[vlanCount] = tpid;
        vlanTci[vlanCount] = tci;
        vlanCount++;
        return this;
    }

    /** A raw EtherType; the payload follows the link header. */
    public PacketBuilder etherType(int type) {
        l3 = L3_RAW;
        rawEtherType = type;
        return this;
    }

    public PacketBuilder ipv4(int src, int dst) {
        l3 = L3_V4;
        v4Src = src;
        v4Dst = dst;
        return this;
    }

    public PacketBuilder ipv6(long srcHi, long srcLo, long dstHi, long dstLo) {
        l3 = L3_V6;
        s6Hi = srcHi;
        s6Lo = srcLo;
        d6Hi = dstHi;
        d6Lo = dstLo;
        return this;
    }

    /** An Ethernet/IPv4 ARP packet. */
    public PacketBuilder arp(int op, long sha, int spa, long tha, int tpa) {
        l3 = L3_ARP;
        arpOp = op;
        arpSha = sha;
        arpSpa = spa;
        arpTha = tha;
        arpTpa = tpa;
        return this;
    }

    /** IPv4 TTL (also sets the IPv6 hop limit). */
    public PacketBuilder ttl(int n) {
        ttl = n;
        ttlSet = true;
        return this;
    }

    /** IPv6 hop limit (same field as {@link #ttl}). */
    public PacketBuilder hopLimit(int n) {
        return ttl(n);
    }

    /** IPv4 TOS byte (also the IPv6 traffic class). */
    public PacketBuilder tos(int n) {
        tos = n;
        return this;
    }

    /** IPv6 traffic class (same field as {@link #tos}). */
    public PacketBuilder trafficClass(int n) {
        return tos(n);
    }

    public PacketBuilder flowLabel(int n) {
        flowLabel = n;
        return this;
    }

    /** IPv4 identification (also the IPv6 fragment header's identification). */
    public PacketBuilder id(int n) {
        id = n;
        return this;
    }

    public PacketBuilder df(boolean v) {
        df = v;
        return this;
    }

    /** IPv4 options, padded with zeros (End of Option List) to a multiple of 4; at most 40 bytes. */
    public PacketBuilder ipv4Options(byte[] options) {
        int padded = (options.length + 3) & ~3;
        if (padded > 40) {
            throw new IllegalArgumentException("IPv4 options longer than 40 bytes");
        }
        v4Options = new byte[padded];
        System.arraycopy(options, 0, v4Options, 0, options.length);
        return this;
    }

    /**
     * Makes this a fragment: IPv4 sets MF and the offset (bytes, multiple of 8); IPv6 appends a fragment
     * header (identification = {@link #id}) at this point of the extension header chain, so call it after
     * {@link #ipv6} and after the extension headers that precede it. {@code fragment(0, false)} on IPv6
     * makes an atomic fragment (RFC 6946).
     */
    public PacketBuilder fragment(int offsetBytes, boolean more) {
        if ((offsetBytes & 7) != 0) {
            throw new IllegalArgumentException("fragment offset must be a multiple of 8");
        }
        fragmented = true;
        fragOffset = offsetBytes;
        moreFragments = more;
        if (l3 == L3_V6) {
            extTypes.add(new int[] {IpProto.FRAGMENT});
            extBodies.add(null);
        }
        return this;
    }

    /** IPv6 hop-by-hop options header of 8 bytes (a PadN option). */
    public PacketBuilder hopByHop() {
        return extOptions(IpProto.HOPOPTS, new byte[0]);
    }

    /** IPv6 hop-by-hop options header with these options (PadN-padded to a multiple of 8). */
    public PacketBuilder hopByHop(byte[] options) {
        return extOptions(IpProto.HOPOPTS, options);
    }

    /** IPv6 destination options header of 8 bytes (a PadN option). */
    public PacketBuilder destOptions() {
        return extOptions(IpProto.DSTOPTS, new byte[0]);
    }

    /** IPv6 routing header, type 0 with segments left 0 (ignored by receivers), 8 bytes. */
    public PacketBuilder routing() {
        extTypes.add(new int[] {IpProto.ROUTING});
        extBodies.add(new byte[7]); // hdr ext len 0, type 0, segments left 0, reserved
        return this;
    }

    /** An authentication header (RFC 4302) with SPI 0x100, sequence 1 and a 12-byte zero ICV: 24 bytes. */
    public PacketBuilder ah() {
        extTypes.add(new int[] {IpProto.AH});
        byte[] b = new byte[23]; // the header without its next-header byte
        b[0] = 4; // payload length: 24/4 - 2
        b[5] = 1; // SPI 0x00000100 at bytes 4..7 of the header
        b[10] = 1; // sequence number 1 at bytes 8..11
        extBodies.add(b);
        return this;
    }

    private PacketBuilder extOptions(int type, byte[] options) {
        int total = (2 + options.length + 7) & ~7;
        byte[] body = new byte[total - 1]; // without the next-header byte; body[0] = hdr ext len
        body[0] = (byte) (total / 8 - 1);
        System.arraycopy(options, 0, body, 1, options.length);
        int pad = total - 2 - options.length;
        int p = 1 + options.length;
        if (pad == 1) {
            body[p] = 0; // Pad1
        } else if (pad >= 2) {
            body[p] = 1; // PadN
            body[p + 1] = (byte) (pad - 2);
        }
        extTypes.add(new int[] {type});
        extBodies.add(body);
        return this;
    }

    public PacketBuilder udp(int sport, int dport) {
        rawL4 = false;
        l4Proto = IpProto.UDP;
        this.sport = sport;
        this.dport = dport;
        return this;
    }

    public PacketBuilder tcp(int sport, int dport, int flags, int seq, int ack) {
        rawL4 = false;
        l4Proto = IpProto.TCP;
        this.sport = sport;
        this.dport = dport;
        this.tcpFlags = flags;
        this.seq = seq;
        this.ack = ack;
        return this;
    }

    public PacketBuilder window(int n) {
        window = n;
        return this;
    }

    /** Adds an MSS option (kind 2, length 4) before any other TCP options. */
    public PacketBuilder mss(int n) {
        mss = n;
        return this;
    }

    /** Raw TCP options (after MSS), padded with zeros to a multiple of 4; at most 40 bytes in all. */
    public PacketBuilder tcpOptions(byte[] options) {
        tcpOptions = options.clone();
        return this;
    }

    /** ICMP echo request (type 8) or reply (type 0). */
    public PacketBuilder icmpEcho(boolean request, int id, int seq) {
        return icmp(request ? IcmpView.ECHO_REQUEST : IcmpView.ECHO_REPLY, 0, ((id & 0xffff) << 16) | (seq & 0xffff));
    }

    /** Any ICMP message: the payload follows the 8-byte header (e.g. a quoted packet for errors). */
    public PacketBuilder icmp(int type, int code, int restOfHeader) {
        rawL4 = false;
        l4Proto = IpProto.ICMP;
        icmpType = type;
        icmpCode = code;
        icmpRest = restOfHeader;
        icmpBody = new byte[0];
        return this;
    }

    /** ICMPv6 echo request (128) or reply (129). */
    public PacketBuilder icmpv6Echo(boolean request, int id, int seq) {
        return icmpv6(request ? Icmpv6View.ECHO_REQUEST : Icmpv6View.ECHO_REPLY, 0,
                ((id & 0xffff) << 16) | (seq & 0xffff));
    }

    /** Any ICMPv6 message: the payload follows the 8-byte header. */
    public PacketBuilder icmpv6(int type, int code, int restOfHeader) {
        rawL4 = false;
        l4Proto = IpProto.ICMPV6;
        icmpType = type;
        icmpCode = code;
        icmpRest = restOfHeader;
        icmpBody = new byte[0];
        return this;
    }

    /**
     * A Neighbour Solicitation for the target, with a source link-layer address option unless
     * {@code srcLinkLayer} is negative (as in DAD). Hop limit 255 unless set explicitly.
     */
    public PacketBuilder neighbourSolicit(long targetHi, long targetLo, long srcLinkLayer) {
        icmpv6(Icmpv6View.NEIGHBOUR_SOLICIT, 0, 0);
        icmpBody = ndBody(targetHi, targetLo, Icmpv6View.OPT_SOURCE_LL_ADDR, srcLinkLayer);
        return this;
    }

    /**
     * A Neighbour Advertisement with the R/S/O flags and a target link-layer address option unless
     * {@code targetLinkLayer} is negative. Hop limit 255 unless set explicitly.
     */
    public PacketBuilder neighbourAdvert(long targetHi, long targetLo, boolean router, boolean solicited,
                                         boolean override, long targetLinkLayer) {
        int flags = (router ? Icmpv6View.NA_ROUTER : 0) | (solicited ? Icmpv6View.NA_SOLICITED : 0)
                | (override ? Icmpv6View.NA_OVERRIDE : 0);
        icmpv6(Icmpv6View.NEIGHBOUR_ADVERT, 0, flags);
        icmpBody = ndBody(targetHi, targetLo, Icmpv6View.OPT_TARGET_LL_ADDR, targetLinkLayer);
        return this;
    }

    /** A solicited, override Neighbour Advertisement (what a host answers to an NS). */
    public PacketBuilder neighbourAdvert(long targetHi, long targetLo, long targetLinkLayer) {
        return neighbourAdvert(targetHi, targetLo, false, true, true, targetLinkLayer);
    }

    private static byte[] ndBody(long hi, long lo, int optType, long mac) {
        byte[] b = new byte[mac < 0 ? 16 : 24];
        MemorySegment s = MemorySegment.ofArray(b);
        Bytes.setU64(s, 0, hi);
        Bytes.setU64(s, 8, lo);
        if (mac >= 0) {
            Bytes.setU8(s, 16, optType);
            Bytes.setU8(s, 17, 1);
            Bytes.setU48(s, 18, mac);
        }
        return b;
    }

    /** A raw upper-layer protocol number; the payload is the whole upper layer. */
    public PacketBuilder ipProto(int proto) {
        l4Proto = proto;
        rawL4 = true;
        return this;
    }

    public PacketBuilder payload(byte[] data) {
        payload = data.clone();
        return this;
    }

    /** {@code n} bytes of deterministic filler ({@code (i * 7 + 3) & 0xff}). */
    public PacketBuilder payloadLength(int n) {
        payload = new byte[n];
        for (int i = 0; i < n; i++) {
            payload[i] = (byte) (i * 7 + 3);
        }
        return this;
    }

    /** Stores 0 in the UDP checksum (no checksum; valid over IPv4 only). */
    public PacketBuilder udpChecksumZero() {
        udpChecksumZero = true;
        return this;
    }

    /** Corrupts the IPv4 header checksum (for tests). */
    public PacketBuilder badIpChecksum() {
        badIpChecksum = true;
        return this;
    }

    /** Corrupts the upper-layer checksum (for tests). */
    public PacketBuilder badL4Checksum() {
        badL4Checksum = true;
        return this;
    }

    /** Pads the frame with zeros to at least {@code n} bytes (60 = Ethernet minimum without FCS). */
    public PacketBuilder padTo(int n) {
        padTo = n;
        return this;
    }

    // ---------------------------------------------------------------- building

    private byte[] l4Bytes(boolean headerless) {
        if (headerless || rawL4 || l4Proto == L4_NONE || (l4Proto != IpProto.TCP && l4Proto != IpProto.UDP
                && l4Proto != IpProto.ICMP && l4Proto != IpProto.ICMPV6)) {
            return payload.clone();
        }
        byte[] b;
        MemorySegment s;
        switch (l4Proto) {
            case IpProto.TCP -> {
                int optLen = (mss >= 0 ? 4 : 0) + tcpOptions.length;
                int paddedOpt = (optLen + 3) & ~3;
                if (paddedOpt > 40) {
                    throw new IllegalStateException("TCP options longer than 40 bytes");
                }
                int hl = 20 + paddedOpt;
                b = new byte[hl + payload.length];
                s = MemorySegment.ofArray(b);
                TcpView t = new TcpView().wrap(s, 0);
                t.sport(sport).dport(dport).seq(seq).ack(ack).dataOffset(hl / 4).flags(tcpFlags).window(window);
                int p = 20;
                if (mss >= 0) {
                    b[p] = 2;
                    b[p + 1] = 4;
                    Bytes.setU16(s, p + 2, mss);
                    p += 4;
                }
                System.arraycopy(tcpOptions, 0, b, p, tcpOptions.length);
                System.arraycopy(payload, 0, b, hl, payload.length);
            }
            case IpProto.UDP -> {
                b = new byte[8 + payload.length];
                s = MemorySegment.ofArray(b);
                new UdpView().wrap(s, 0).sport(sport).dport(dport).length(b.length);
                System.arraycopy(payload, 0, b, 8, payload.length);
            }
            default -> { // ICMP, ICMPv6
                b = new byte[8 + icmpBody.length + payload.length];
                s = MemorySegment.ofArray(b);
                Bytes.setU8(s, 0, icmpType);
                Bytes.setU8(s, 1, icmpCode);
                Bytes.setU32(s, 4, icmpRest);
                System.arraycopy(icmpBody, 0, b, 8, icmpBody.length);
                System.arraycopy(payload, 0, b, 8 + icmpBody.length, payload.length);
            }
        }
        return b;
    }

    private void fillL4Checksum(byte[] l4, boolean v6) {
        if (l4Proto == L4_NONE || rawL4) {
            return;
        }
        int field = Checksum.checksumFieldOffset(l4Proto);
        if (field < 0 || field + 2 > l4.length) {
            return;
        }
        MemorySegment s = MemorySegment.ofArray(l4);
        int c;
        if (l4Proto == IpProto.UDP && udpChecksumZero) {
            c = 0;
        } else if (v6) {
            c = Checksum.l4ChecksumV6(s, 0, l4.length, s6Hi, s6Lo, d6Hi, d6Lo, l4Proto);
        } else {
            c = Checksum.l4ChecksumV4(s, 0, l4.length, v4Src, v4Dst, l4Proto);
        }
        if (badL4Checksum) {
            c ^= 0x5a5a;
        }
        Bytes.setU16(s, field, c);
    }

    /** Builds the frame. The builder can be changed and built again. */
    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] link = new byte[12 + 4 * vlanCount];
        MemorySegment ls = MemorySegment.ofArray(link);
        Bytes.setU48(ls, 0, ethDst);
        Bytes.setU48(ls, 6, ethSrc);
        for (int i = 0; i < vlanCount; i++) {
            Bytes.setU16(ls, 12 + 4 * i, vlanTpid[i]);
            Bytes.setU16(ls, 14 + 4 * i, vlanTci[i]);
        }
        out.writeBytes(link);
        int et = switch (l3) {
            case L3_V4 -> EtherType.IPV4;
            case L3_V6 -> EtherType.IPV6;
            case L3_ARP -> EtherType.ARP;
            default -> rawEtherType < 0 ? 0x88B5 : rawEtherType; // 0x88B5: IEEE local experimental
        };
        out.write(et >>> 8);
        out.write(et & 0xff);
        switch (l3) {
            case L3_V4 -> out.writeBytes(buildIpv4());
            case L3_V6 -> out.writeBytes(buildIpv6());
            case L3_ARP -> {
                byte[] a = new byte[ArpView.LEN];
                new ArpView().wrap(MemorySegment.ofArray(a), 0).htype(ArpView.HTYPE_ETHERNET).ptype(EtherType.IPV4)
                        .hlen(6).plen(4).op(arpOp).sha(arpSha).spa(arpSpa).tha(arpTha).tpa(arpTpa);
                out.writeBytes(a);
                out.writeBytes(payload);
            }
            default -> out.writeBytes(payload);
        }
        while (out.size() < padTo) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private byte[] buildIpv4() {
        boolean headerless = fragmented && fragOffset != 0;
        byte[] l4 = l4Bytes(headerless);
        if (!headerless) {
            fillL4Checksum(l4, false);
        }
        int hl = 20 + v4Options.length;
        byte[] b = new byte[hl + l4.length];
        if (b.length > 0xffff) {
            throw new IllegalStateException("IPv4 datagram longer than 65535 bytes");
        }
        MemorySegment s = MemorySegment.ofArray(b);
        Ipv4View ip = new Ipv4View().wrap(s, 0);
        int frag = (df ? Ipv4View.FLAG_DF : 0) | (moreFragments ? Ipv4View.FLAG_MF : 0) | (fragOffset >>> 3);
        ip.versionIhl(hl / 4).tos(tos).totalLength(b.length).id(id).fragField(frag).ttl(ttl)
                .protocol(l4Proto == L4_NONE ? IpProto.NONE : l4Proto).src(v4Src).dst(v4Dst);
        System.arraycopy(v4Options, 0, b, 20, v4Options.length);
        ip.fillChecksum();
        if (badIpChecksum) {
            ip.checksum(ip.checksum() ^ 0x0101);
        }
        System.arraycopy(l4, 0, b, hl, l4.length);
        return b;
    }

    private byte[] buildIpv6() {
        boolean headerless = fragmented && fragOffset != 0;
        byte[] l4 = l4Bytes(headerless);
        if (!headerless) {
            fillL4Checksum(l4, true);
        }
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        int upper = l4Proto == L4_NONE ? IpProto.NONE : l4Proto;
        for (int i = 0; i < extTypes.size(); i++) {
            int next = i + 1 < extTypes.size() ? extTypes.get(i + 1)[0] : upper;
            ext.write(next);
            byte[] body = extBodies.get(i);
            if (body == null) { // fragment header
                byte[] f = new byte[7];
                MemorySegment fs = MemorySegment.ofArray(f);
                Bytes.setU16(fs, 1, fragOffset | (moreFragments ? 1 : 0));
                Bytes.setU32(fs, 3, id);
                ext.writeBytes(f);
            } else {
                ext.writeBytes(body);
            }
        }
        byte[] e = ext.toByteArray();
        int plen = e.length + l4.length;
        if (plen > 0xffff) {
            throw new IllegalStateException("IPv6 payload longer than 65535 bytes");
        }
        byte[] b = new byte[40 + plen];
        MemorySegment s = MemorySegment.ofArray(b);
        int hop = ttlSet ? ttl : (isNdp() ? 255 : ttl);
        new Ipv6View().wrap(s, 0).init().trafficClass(tos).flowLabel(flowLabel).payloadLength(plen)
                .nextHeader(extTypes.isEmpty() ? upper : extTypes.get(0)[0]).hopLimit(hop)
                .src(s6Hi, s6Lo).dst(d6Hi, d6Lo);
        System.arraycopy(e, 0, b, 40, e.length);
        System.arraycopy(l4, 0, b, 40 + e.length, l4.length);
        return b;
    }

    private boolean isNdp() {
        return l4Proto == IpProto.ICMPV6 && icmpType >= Icmpv6View.ROUTER_SOLICIT && icmpType <= Icmpv6View.REDIRECT;
    }
}
