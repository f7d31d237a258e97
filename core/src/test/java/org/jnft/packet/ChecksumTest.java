package org.jnft.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.packet.TestUtil.hex;
import static org.jnft.packet.TestUtil.seg;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    static final String SYN = "02000000000202000000000108004500003c123440004006f33e0a000102c6336414a02801bb000003e8"
            + "00000000a002faf071f90000020405b40402080a000000010000000001030307";
    static final String UDP6_VLAN = "0200000000020200000000018100000a86dd62812345000d113f20010db8000000000000000000000001"
            + "20010db800010000000000000000002014e90035000d4b5068656c6c6f";
    static final String PING = "020000000002020000000001080045000024000700004001f6cec0000201c0000202080065f000770003"
            + "6162636465666768";
    static final String UDP4 = "02000000000202000000000108004500001d000100004011f6cbc0000201c000020200010002000903d578";

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d
        MemorySegment s = seg("0001f203f4f5f6f7");
        long acc = Checksum.sum(s, 0, 8, 0);
        assertThat(Checksum.fold(acc)).isEqualTo(0xddf2);
        assertThat(Checksum.finish(acc)).isEqualTo(0x220d);
        // chained regions give the same result
        assertThat(Checksum.fold(Checksum.sum(s, 4, 4, Checksum.sum(s, 0, 4, 0)))).isEqualTo(0xddf2);
        assertThat(Checksum.fold(Checksum.sum(hex("0001f203f4f5f6f7"), 0, 8, 0))).isEqualTo(0xddf2);
    }

    @Test
    void oddLengthIsPaddedOnTheRight() {
        assertThat(Checksum.fold(Checksum.sum(seg("0102ab"), 0, 3, 0))).isEqualTo(0x0102 + 0xab00);
        assertThat(Checksum.fold(Checksum.sum(hex("0102ab"), 0, 3, 0))).isEqualTo(0x0102 + 0xab00);
    }

    @Test
    void sumMatchesNaiveForRandomData() {
        Random r = new Random(1071);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            int off = b.length == 0 ? 0 : r.nextInt(b.length);
            int len = b.length - off;
            long naive = 0;
            for (int k = 0; k < len; k += 2) {
                naive += ((b[off + k] & 0xff) << 8) | (k + 1 < len ? b[off + k + 1] & 0xff : 0);
            }
            assertThat(Checksum.fold(Checksum.sum(seg(b), off, len, 0))).as("seed 1071 #%d", i)
                    .isEqualTo(Checksum.fold(naive)).isEqualTo(Checksum.fold(Checksum.sum(b, off, len, 0)));
        }
        assertThat(Checksum.fold(-1L)).isEqualTo(0xffff);
        assertThat(Checksum.fold(0)).isZero();
    }

    @Test
    void fixturesFromScapy() {
        MemorySegment syn = seg(SYN);
        Ipv4View ip = new Ipv4View().wrap(syn, 14);
        assertThat(Checksum.ipv4HeaderValid(syn, 14)).isTrue();
        assertThat(ip.computeChecksum()).isEqualTo(0xf33e);
        assertThat(Checksum.l4ChecksumV4(syn, 34, 40, ip.src(), ip.dst(), IpProto.TCP)).isEqualTo(0x71f9);
        assertThat(Checksum.l4ValidV4(syn, 34, 40, ip.src(), ip.dst(), IpProto.TCP)).isTrue();
        assertThat(Checksum.l4ValidV4(syn, 34, 40, ip.src() + 1, ip.dst(), IpProto.TCP)).isFalse();

        MemorySegment u6 = seg(UDP6_VLAN);
        Ipv6View v6 = new Ipv6View().wrap(u6, 18);
        assertThat(Checksum.l4ChecksumV6(u6, 58, 13, v6.srcHi(), v6.srcLo(), v6.dstHi(), v6.dstLo(), IpProto.UDP))
                .isEqualTo(0x4b50);
        assertThat(Checksum.l4ValidV6(u6, 58, 13, v6.srcHi(), v6.srcLo(), v6.dstHi(), v6.dstLo(), IpProto.UDP)).isTrue();

        MemorySegment ping = seg(PING);
        assertThat(Checksum.l4ChecksumV4(ping, 34, 16, 0, 0, IpProto.ICMP)).isEqualTo(0x65f0); // no pseudo-header
        assertThat(Checksum.l4ValidV4(ping, 34, 16, 1, 2, IpProto.ICMP)).isTrue();
    }

    @Test
    void udpZeroChecksum() {
        MemorySegment u4 = seg(UDP4);
        Ipv4View ip = new Ipv4View().wrap(u4, 14);
        assertThat(Checksum.l4ValidV4(u4, 34, 9, ip.src(), ip.dst(), IpProto.UDP)).isTrue();
        Bytes.setU16(u4, 40, 0);
        assertThat(Checksum.l4ValidV4(u4, 34, 9, ip.src(), ip.dst(), IpProto.UDP)).as("0 = not checked over IPv4").isTrue();
        MemorySegment u6 = seg(UDP6_VLAN);
        Bytes.setU16(u6, 64, 0);
        assertThat(Checksum.l4ValidV6(u6, 58, 13, 0, 0, 0, 0, IpProto.UDP)).as("0 is invalid over IPv6").isFalse();
        // a UDP datagram whose checksum computes to 0 stores 0xffff
        byte[] b = new byte[8];
        MemorySegment s = seg(b);
        new UdpView().wrap(s, 0).sport(0).dport(0).length(8);
        // choose addresses so that pseudo + header sum to 0xffff: src=0xffff-(17+8+8) in the low word
        int src = 0xffff - (17 + 8 + 8);
        assertThat(Checksum.l4ChecksumV4(s, 0, 8, src, 0, IpProto.UDP)).isEqualTo(0xffff);
        assertThat(Checksum.l4ChecksumV4(s, 0, 8, src, 0, IpProto.TCP)).isNotEqualTo(0xffff);
        assertThat(Checksum.udpUpdate16(0, 1, 2)).isZero();
    }

    @Test
    void pseudoHeaders() {
        assertThat(Checksum.fold(Checksum.pseudoV4(0x0a000102, 0xc6336414, 6, 40)))
                .isEqualTo(Checksum.fold(0x0a00L + 0x0102 + 0xc633 + 0x6414 + 6 + 40));
        long p6 = Checksum.pseudoV6(0x20010db800000000L, 1, 0xfe80000000000000L, 0x0200_0000_0000_0001L, 58, 0x10020);
        long naive = 0x2001 + 0x0db8 + 1 + 0xfe80 + 0x0200 + 1 + 1 + 0x0020 + 58;
        assertThat(Checksum.fold(p6)).isEqualTo(Checksum.fold(naive));
    }

    /** Random data whose first word is non-zero (as in every real header). */
    private static byte[] randomHeader(Random r, int len) {
        byte[] b = new byte[len];
        int mode = r.nextInt(4);
        if (mode == 0) {
            r.nextBytes(b);
        } else if (mode == 1) { // sparse: mostly zero words
            for (int i = 0; i < len; i++) {
                b[i] = r.nextInt(8) == 0 ? (byte) r.nextInt() : 0;
            }
        } else if (mode == 2) { // mostly 0xff
            for (int i = 0; i < len; i++) {
                b[i] = r.nextInt(8) == 0 ? (byte) r.nextInt() : (byte) 0xff;
            }
        } else { // words of 0x0000 / 0xffff / 0x0001 / 0xfffe
            int[] w = {0, 0xffff, 1, 0xfffe};
            for (int i = 0; i < len; i += 2) {
                int v = w[r.nextInt(4)];
                b[i] = (byte) (v >>> 8);
                b[i + 1] = (byte) v;
            }
        }
        if (b[0] == 0 && b[1] == 0) {
            b[1] = 1;
        }
        return b;
    }

    /** Adjusts word 2 so that the data without its checksum sums to 0xffff: the correct checksum is then 0x0000. */
    private static void forceCorner(byte[] b, int checkOff) {
        // make the data (without checksum) sum to 0xffff so the correct checksum is 0x0000
        MemorySegment s = seg(b);
        Bytes.setU16(s, checkOff, 0);
        int adjust = 4; // word 2 is adjusted
        Bytes.setU16(s, adjust, 0);
        int rest = Checksum.fold(Checksum.sum(s, 0, b.length, 0));
        Bytes.setU16(s, adjust, ~rest & 0xffff);
    }

    @Test
    void incrementalUpdateEqualsRecompute() {
        long seed = 1624;
        Random r = new Random(seed);
        int corners = 0;
        for (int i = 0; i < 10_000; i++) {
            int len = 28 + 2 * r.nextInt(26);
            byte[] b = randomHeader(r, len);
            int checkOff = 10;
            if (r.nextInt(5) == 0) {
                forceCorner(b, checkOff);
            }
            MemorySegment s = seg(b);
            Bytes.setU16(s, checkOff, 0);
            if (Checksum.fold(Checksum.sum(s, 0, len, 0)) == 0) {
                continue; // all-zero data: not a header
            }
            int check = Checksum.finish(Checksum.sum(s, 0, len, 0));
            Bytes.setU16(s, checkOff, check);
            // mutate a 16-, 32- or 128-bit field at an even offset other than the checksum
            int kind = r.nextInt(3);
            int width = kind == 0 ? 2 : kind == 1 ? 4 : 16;
            int pos; // even, not overlapping the checksum field at [10, 12)
            if (width <= checkOff && r.nextBoolean()) {
                pos = 2 * r.nextInt((checkOff - width) / 2 + 1);
            } else {
                pos = checkOff + 2 + 2 * r.nextInt((len - checkOff - 2 - width) / 2 + 1);
            }
            int newCheck;
            if (width == 2) {
                int old = Bytes.u16(s, pos);
                int nv = pickWord(r);
                Bytes.setU16(s, pos, nv);
                newCheck = Checksum.update16(check, old, nv);
            } else if (width == 4) {
                int old = Bytes.u32(s, pos);
                int nv = (pickWord(r) << 16) | pickWord(r);
                Bytes.setU32(s, pos, nv);
                newCheck = Checksum.update32(check, old, nv);
            } else {
                long oh = Bytes.u64(s, pos);
                long ol = Bytes.u64(s, pos + 8);
                long nh = r.nextBoolean() ? r.nextLong() : 0;
                long nl = r.nextBoolean() ? r.nextLong() : -1L;
                Bytes.setU64(s, pos, nh);
                Bytes.setU64(s, pos + 8, nl);
                newCheck = Checksum.update128(check, oh, ol, nh, nl);
            }
            Bytes.setU16(s, checkOff, 0);
            long data = Checksum.sum(s, 0, len, 0);
            if (Checksum.fold(data) == 0) {
                continue; // mutated to all zero
            }
            int full = Checksum.finish(data);
            if (full == 0) {
                corners++;
            }
            assertThat(newCheck).as("seed %d iteration %d width %d", seed, i, width).isEqualTo(full);
        }
        assertThat(corners).as("the corner where the checksum is 0x0000 was exercised").isGreaterThan(10);
    }

    private static int pickWord(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 0xffff;
            default -> r.nextInt(0x10000);
        };
    }

    @Test
    void decrementTtlEqualsRecompute() {
        long seed = 1812;
        Random r = new Random(seed);
        Ipv4View ip = new Ipv4View();
        int corners = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] b = randomHeader(r, 20);
            MemorySegment s = seg(b);
            ip.wrap(s, 0).versionIhl(5).ttl(1 + r.nextInt(255));
            if (r.nextInt(4) == 0) {
                // make the header (without checksum) sum to 0xffff (checksum 0x0000 before the decrement) or
                // to 0x0100 (checksum 0xfeff, which becomes 0x0000 through Linux's c >= 0xffff carry)
                ip.checksum(0);
                Bytes.setU16(s, 14, 0);
                int rest = Checksum.fold(Checksum.sum(s, 0, 20, 0));
                int target = r.nextBoolean() ? 0xffff : 0x0100;
                Bytes.setU16(s, 14, (target - rest + 0xffff) % 0xffff);
                corners++;
            }
            ip.fillChecksum();
            assertThat(ip.checksumValid()).isTrue();
            int ttl = ip.ttl();
            ip.decrementTtl();
            assertThat(ip.ttl()).isEqualTo(ttl - 1);
            int incremental = ip.checksum();
            assertThat(ip.checksumValid()).as("seed %d #%d", seed, i).isTrue();
            assertThat(incremental).as("seed %d #%d", seed, i).isEqualTo(ip.computeChecksum());
        }
        assertThat(corners).isGreaterThan(1000);
    }

    @Test
    void natStyleRewritesKeepEveryChecksumValid() {
        long seed = 3022;
        Random r = new Random(seed);
        PacketInfo info = new PacketInfo();
        for (int i = 0; i < 3000; i++) {
            boolean v6 = r.nextBoolean();
            boolean tcp = r.nextBoolean();
            boolean zero = !v6 && !tcp && r.nextInt(3) == 0;
            PacketBuilder b = PacketBuilder.ether(1, 2);
            if (v6) {
                b.ipv6(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
            } else {
                b.ipv4(r.nextInt(), r.nextInt());
            }
            if (tcp) {
                b.tcp(r.nextInt(65536), r.nextInt(65536), TcpView.ACK, r.nextInt(), r.nextInt());
            } else {
                b.udp(r.nextInt(65536), r.nextInt(65536));
                if (zero) {
                    b.udpChecksumZero();
                }
            }
            byte[] f = b.payloadLength(r.nextInt(100)).build();
            MemorySegment s = seg(f);
            assertThat(PacketParser.parse(s, f.length, info)).isEqualTo(ParseStatus.OK);
            int l4 = info.l4Offset;
            int field = l4 + (tcp ? 16 : 6);
            int check = Bytes.u16(s, field);
            int newPort = r.nextInt(65536);
            int oldPort = Bytes.u16(s, l4);
            Bytes.setU16(s, l4, newPort); // source port, then source address, as SNAT does
            check = tcp ? Checksum.update16(check, oldPort, newPort) : Checksum.udpUpdate16(check, oldPort, newPort);
            String ctx = "seed " + seed + " #" + i;
            if (v6) {
                Ipv6View ip = new Ipv6View().wrap(s, info.l3Offset);
                long nh = r.nextLong();
                long nl = r.nextLong();
                check = tcp ? Checksum.update128(check, ip.srcHi(), ip.srcLo(), nh, nl)
                        : Checksum.udpUpdate128(check, ip.srcHi(), ip.srcLo(), nh, nl);
                ip.src(nh, nl);
                Bytes.setU16(s, field, check);
                assertThat(Checksum.l4ValidV6(s, l4, info.l4Length, ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo(),
                        info.l4Proto)).as(ctx).isTrue();
            } else {
                Ipv4View ip = new Ipv4View().wrap(s, info.l3Offset);
                int na = r.nextInt();
                check = tcp ? Checksum.update32(check, ip.src(), na) : Checksum.udpUpdate32(check, ip.src(), na);
                ip.checksum(Checksum.update32(ip.checksum(), ip.src(), na));
                ip.src(na);
                Bytes.setU16(s, field, check);
                assertThat(ip.checksumValid()).as(ctx).isTrue();
                assertThat(ip.checksum()).as(ctx).isEqualTo(ip.computeChecksum());
                assertThat(Checksum.l4ValidV4(s, l4, info.l4Length, ip.src(), ip.dst(), info.l4Proto)).as(ctx).isTrue();
                if (zero) {
                    assertThat(check).as(ctx + " UDP zero checksum kept").isZero();
                }
            }
            if (!zero) {
                int full = v6 ? Checksum.l4ChecksumV6(s, l4, info.l4Length, Bytes.u64(s, info.l3Offset + 8),
                        Bytes.u64(s, info.l3Offset + 16), Bytes.u64(s, info.l3Offset + 24), Bytes.u64(s, info.l3Offset + 32),
                        info.l4Proto)
                        : Checksum.l4ChecksumV4(s, l4, info.l4Length, Bytes.u32(s, info.l3Offset + 12),
                        Bytes.u32(s, info.l3Offset + 16), info.l4Proto);
                assertThat(check).as(ctx + " equals a full recomputation").isEqualTo(full);
            }
        }
    }
}
