package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jnft.io.PcapReader;
import org.jnft.io.PcapWriter;
import org.jnft.nft.Frontend;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.jnft.packet.Addresses;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;
import org.jnft.packet.Ipv4View;
import org.jnft.packet.Ipv6View;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.PacketParser;
import org.jnft.packet.TcpView;
import org.jnft.route.NetConfig;
import org.jnft.route.NetFile;
import org.jnft.vm.RulesetHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.jnft.testing.KernelFrames.checksumsValid;
import static org.jnft.testing.KernelFrames.normalise;
import org.junit.jupiter.api.io.TempDir;

/**
 * NfReject on a router: every {@code reject} variant on forward, input and prerouting, IPv4 and IPv6, and the
 * packets that get no reply. Until the VM's Reject asks the pipeline for a reply, the test stands in for that
 * wiring: each {@code reject ...} of the kernel's ruleset is a {@code log prefix "R<type>:<code>" drop} in
 * jnft's, and the log sink calls {@link NfReject#reject} (the reply's own hooks are empty, so nothing re-enters
 * the interpreter). The kernel comparison runs the kernel's ruleset through ../shared/tools/kernel-replay and
 * compares the frames sent on each interface, as ctl.KernelReplayComparisonTest does.
 */
class NfRejectTest {
    static final String NET = """
            link add lan address 02:00:00:00:0a:01
            link add wan address 02:00:00:00:0b:01 mtu 1400
            addr add 10.0.1.1/24 dev lan
            addr add 2001:db8:a::1/64 dev lan
            addr add 10.0.2.1/24 dev wan
            addr add 2001:db8:b::1/64 dev wan
            route add 198.51.100.0/24 via 10.0.2.2 dev wan
            route add 2001:db8:100::/48 via 2001:db8:b::2 dev wan
            neigh add 10.0.1.2 lladdr 02:00:00:00:0a:02 dev lan
            neigh add 10.0.2.2 lladdr 02:00:00:00:0b:02 dev wan
            neigh add 2001:db8:a::2 lladdr 02:00:00:00:0a:02 dev lan
            neigh add 2001:db8:b::2 lladdr 02:00:00:00:0b:02 dev wan
            neigh add 10.0.1.3 lladdr 02:00:00:00:0a:03 dev lan
            neigh add 2001:db8:a::3 lladdr 02:00:00:00:0a:03 dev lan
            """;

    /** chain, match, the kernel's reject statement, and the (type, code) nft hands the kernel for it. */
    record Rule(String chain, String match, String reject, int type, int code) {}

    static final List<Rule> RULES = List.of(
            new Rule("c_pre", "ip daddr 10.0.2.1 udp dport 3002", "reject", 2, 1),
            new Rule("c_pre", "ip6 daddr 2001:db8:b::1 udp dport 3002", "reject", 2, 1),
            new Rule("c_pre", "tcp dport 3003", "reject with tcp reset", 1, 0),
            new Rule("c_fwd", "udp dport 1001", "reject", 2, 1),
            new Rule("c_fwd", "meta nfproto ipv4 udp dport 1002", "reject with icmp type host-unreachable", 0, 1),
            new Rule("c_fwd", "udp dport 1003", "reject with icmpx type admin-prohibited", 2, 3),
            new Rule("c_fwd", "meta nfproto ipv4 udp dport 1004", "reject with icmp type net-prohibited", 0, 9),
            new Rule("c_fwd", "udp dport 1009", "reject with icmpx type no-route", 2, 0),
            new Rule("c_fwd", "tcp dport 1005", "reject with tcp reset", 1, 0),
            new Rule("c_fwd", "meta nfproto ipv6 udp dport 2002", "reject with icmpv6 type admin-prohibited", 0, 1),
            new Rule("c_fwd", "meta nfproto ipv6 udp dport 2003", "reject with icmpv6 type addr-unreachable", 0, 3),
            new Rule("c_fwd", "ip protocol 253", "reject", 2, 1),
            new Rule("c_fwd", "ip6 nexthdr 253", "reject", 2, 1),
            new Rule("c_fwd", "ip frag-off & 0x1fff != 0", "reject", 2, 1),
            new Rule("c_fwd", "ip6 nexthdr 44", "reject", 2, 1),
            new Rule("c_fwd", "icmp type { echo-request, destination-unreachable }", "reject", 2, 1),
            new Rule("c_fwd", "icmpv6 type echo-request", "reject", 2, 1),
            new Rule("c_in", "meta nfproto ipv4 udp dport 3001", "reject with icmp type port-unreachable", 0, 3),
            new Rule("c_in", "udp dport 3004", "reject", 2, 1),
            new Rule("c_in", "tcp dport 3005", "reject with tcp reset", 1, 0));

    static final long R_A = Addresses.parseMac("02:00:00:00:0a:01");
    static final long HOST_A = Addresses.parseMac("02:00:00:00:0a:02");
    static final long HOST_C = Addresses.parseMac("02:00:00:00:0a:03");
    static final int H4 = Addresses.parseIpv4("10.0.1.2");
    static final int H4C = Addresses.parseIpv4("10.0.1.3");
    static final int R4 = Addresses.parseIpv4("10.0.1.1");
    static final int R4B = Addresses.parseIpv4("10.0.2.1");
    static final int FAR4 = Addresses.parseIpv4("198.51.100.7");
    static final long[] H6 = Addresses.parseIpv6("2001:db8:a::2");
    static final long[] R6 = Addresses.parseIpv6("2001:db8:a::1");
    static final long[] R6B = Addresses.parseIpv6("2001:db8:b::1");
    static final long[] FAR6 = Addresses.parseIpv6("2001:db8:100::7");

    static String ruleset(boolean kernel) {
        StringBuilder sb = new StringBuilder("table inet t {\n");
        for (String[] c : new String[][] {{"c_pre", "prerouting"}, {"c_fwd", "forward"}, {"c_in", "input"}}) {
            sb.append("  chain ").append(c[0]).append(" {\n    type filter hook ").append(c[1])
                    .append(" priority 0; policy accept;\n");
            for (Rule r : RULES) {
                if (r.chain.equals(c[0])) {
                    sb.append("    ").append(r.match).append(' ').append(kernel ? r.reject
                            : "log prefix \"R" + r.type + ":" + r.code + "\" drop").append('\n');
                }
            }
            sb.append("  }\n");
        }
        return sb.append("}\n").toString();
    }

    static PacketBuilder a4(int dst) {
        return PacketBuilder.ether(HOST_A, R_A).ipv4(H4, dst).ttl(64);
    }

    static PacketBuilder a6(long[] dst) {
        return PacketBuilder.ether(HOST_A, R_A).ipv6(H6[0], H6[1], dst[0], dst[1]).hopLimit(64);
    }

    /** The frames received on lan, in order; the comment says what Linux answers. */
    static List<byte[]> frames() {
        List<byte[]> f = new ArrayList<>();
        // forward, IPv4
        f.add(a4(FAR4).udp(40001, 1001).payloadLength(20).build());                   // port unreachable
        f.add(a4(FAR4).udp(40002, 1002).payloadLength(20).build());                   // host unreachable
        f.add(a4(FAR4).udp(40003, 1003).payloadLength(20).build());                   // code 13
        f.add(a4(FAR4).udp(40004, 1004).payloadLength(20).build());                   // code 9
        f.add(a4(FAR4).udp(40005, 1009).payloadLength(20).build());                   // net unreachable
        f.add(a4(FAR4).udp(40006, 1001).udpChecksumZero().payloadLength(20).build()); // see the kernel
        f.add(a4(FAR4).udp(40007, 1001).badL4Checksum().payloadLength(20).build());   // none
        f.add(a4(FAR4).df(true).tcp(41000, 1005, TcpView.SYN, 1000, 0).window(64240).mss(1460).build());
        f.add(a4(FAR4).df(true).tcp(41001, 1005, TcpView.ACK | TcpView.PSH, 5000, 777).window(500)
                .payloadLength(10).build());
        f.add(a4(FAR4).tos(0x12).ipv4Options(new byte[] {1, 1, 1, 0}).tcp(41002, 1005, TcpView.FIN, 9000, 0)
                .window(500).payloadLength(3).build());
        f.add(a4(FAR4).tcp(41003, 1005, TcpView.RST, 1, 0).build());                  // no RST for a RST
        f.add(a4(FAR4).tcp(41004, 1005, TcpView.SYN, 1, 0).badL4Checksum().build());  // bad checksum: none
        f.add(a4(FAR4).ipProto(253).payload(new byte[] {(byte) 0xff, (byte) 0xff}).build());
        f.add(a4(FAR4).ipProto(253).payload(new byte[] {'z', 'z', 'z', 'z'}).build());
        f.add(a4(FAR4).id(77).fragment(0, true).udp(40008, 1001).payloadLength(24).build());
        f.add(a4(FAR4).id(77).fragment(32, false).udp(40008, 1001).payloadLength(24).build());
        f.add(a4(FAR4).tos(0x12).df(true).udp(40009, 1001).payloadLength(20).build());
        f.add(a4(FAR4).icmpEcho(true, 9, 1).payloadLength(16).build());
        f.add(a4(FAR4).icmp(3, 3, 0).payload(a4(FAR4).udp(1, 2).build()).build()); // error about an error: none
        f.add(PacketBuilder.ether(HOST_C, R_A).ipv4(H4C, FAR4).ttl(64).udp(40010, 1001).payloadLength(8).build());
        // forward, IPv6
        f.add(a6(FAR6).udp(40020, 1001).payloadLength(20).build());
        f.add(a6(FAR6).udp(40021, 2002).payloadLength(20).build());
        f.add(a6(FAR6).udp(40022, 2003).payloadLength(20).build());
        f.add(a6(FAR6).udp(40023, 1009).payloadLength(20).build());
        f.add(a6(FAR6).tcp(41020, 1005, TcpView.SYN, 1000, 0).window(64240).build());
        f.add(a6(FAR6).trafficClass(0x12).tcp(41021, 1005, TcpView.ACK, 5000, 777).payloadLength(10).build());
        f.add(a6(FAR6).hopByHop().tcp(41022, 1005, TcpView.SYN, 1, 0).build());
        f.add(a6(FAR6).destOptions().udp(40024, 1001).payloadLength(8).build());
        f.add(a6(FAR6).tcp(41023, 1005, TcpView.RST | TcpView.ACK, 1, 2).build());
        f.add(a6(FAR6).id(5).fragment(0, true).udp(40025, 1001).payloadLength(24).build());
        f.add(a6(FAR6).id(5).fragment(32, false).udp(40025, 1001).payloadLength(24).build());
        f.add(a6(FAR6).ipProto(253).payloadLength(8).build());
        f.add(a6(FAR6).icmpv6Echo(true, 3, 4).payloadLength(8).build());
        // input
        f.add(a4(R4).udp(40030, 3001).payloadLength(10).build());                     // from 10.0.1.1
        f.add(a4(R4B).udp(40031, 3001).payloadLength(10).build());                    // from 10.0.2.1
        f.add(a4(R4).df(true).tcp(41030, 3005, TcpView.SYN, 1000, 0).window(64240).build());
        f.add(a4(Addresses.parseIpv4("10.0.1.255")).udp(40032, 3001).payloadLength(10).build()); // none
        f.add(a6(R6).udp(40033, 3004).payloadLength(10).build());
        f.add(a6(R6B).udp(40034, 3004).payloadLength(10).build());
        f.add(a6(R6).tcp(41031, 3005, TcpView.SYN, 1000, 0).window(64240).build());
        // prerouting
        f.add(a4(R4B).udp(40040, 3002).payloadLength(10).build());                    // from 10.0.1.1
        f.add(a4(FAR4).tcp(41040, 3003, TcpView.SYN, 1000, 0).window(64240).build());
        f.add(a6(R6B).udp(40041, 3002).payloadLength(10).build());
        f.add(a6(FAR6).tcp(41041, 3003, TcpView.SYN, 1000, 0).window(64240).build());
        return f;
    }

    static final long T0 = 1_700_000_000_000_000_000L;
    static final long GAP = 20_000_000L;

    /** What jnft sends per interface (hex), with the stand-in wiring of the class comment. */
    static Map<String, List<byte[]>> runJnft() throws Exception {
        NetConfig cfg = NetFile.parse(NET, "net.conf");
        Sysctl sysctl = new Sysctl();
        sysctl.set("net.ipv4.icmp_ratelimit=0");
        sysctl.set("net.ipv6.icmp.ratelimit=0");
        Map<String, List<byte[]>> sent = new LinkedHashMap<>();
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("rules.nft", ruleset(false))), 1));
        Router router = new Router(cfg, sysctl,
                (dev, seg, off, len, now) -> sent.computeIfAbsent(dev.name(), k -> new ArrayList<>())
                        .add(seg.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE)), rules);
        NfReject reject = new NfReject(router, sysctl);
        router.engine().logSink = (prefix, level, flags, p) -> {
            String[] tc = prefix.substring(1).split(":");
            reject.reject(p, Integer.parseInt(tc[0]), Integer.parseInt(tc[1]));
        };
        PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        int lan = cfg.devices().byName("lan").ifindex();
        long t = T0;
        for (byte[] frame : frames()) {
            t += GAP;
            router.advanceTo(t);
            buf.load(frame);
            buf.ifindex = lan;
            router.receive(buf);
        }
        return sent;
    }

    Map<String, List<byte[]>> out;
    final PacketInfo pi = new PacketInfo();

    @BeforeEach
    void run() throws Exception {
        out = runJnft();
    }

    private List<byte[]> sent(String dev) {
        return out.getOrDefault(dev, List.of());
    }

    /** The frames sent on lan (replies) whose IPv4/IPv6 upper layer is {@code proto}. */
    private List<byte[]> replies(int proto) {
        List<byte[]> r = new ArrayList<>();
        for (byte[] f : sent("lan")) {
            PacketParser.parse(MemorySegment.ofArray(f), 0, f.length, pi);
            if (pi.l4Proto == proto) {
                r.add(f);
            }
        }
        return r;
    }

    @Test
    void checksumsOfEveryReplyAreValid() {
        for (byte[] f : sent("lan")) {
            assertThat(checksumsValid(f)).as(HexFormat.of().formatHex(f)).isTrue();
        }
    }

    @Test
    void ipv4ResetsAreBuiltAsNfSendReset() {
        List<byte[]> rsts = replies(IpProto.TCP).stream().filter(f -> f[12] == 0x08).toList();
        // SYN, ACK+data, FIN with options (forward), SYN at input, SYN at prerouting; not the RST, not the bad sum
        assertThat(rsts).hasSize(5);
        MemorySegment s = MemorySegment.ofArray(rsts.get(0));
        Ipv4View ip = new Ipv4View().wrap(s, 14);
        TcpView tcp = new TcpView().wrap(s, 34);
        assertThat(ip.tos()).isZero();
        assertThat(ip.id()).isZero();
        assertThat(ip.df()).isTrue();
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.src()).isEqualTo(FAR4); // the rejected packet's destination, though not ours
        assertThat(ip.dst()).isEqualTo(H4);
        assertThat(tcp.sport()).isEqualTo(1005);
        assertThat(tcp.dport()).isEqualTo(41000);
        assertThat(tcp.flags()).isEqualTo(TcpView.RST | TcpView.ACK);
        assertThat(tcp.ack()).isEqualTo(1001);
        assertThat(tcp.window()).isZero();
        TcpView second = new TcpView().wrap(MemorySegment.ofArray(rsts.get(1)), 34);
        assertThat(second.flags()).isEqualTo(TcpView.RST);
        assertThat(second.seq()).isEqualTo(777);
        TcpView third = new TcpView().wrap(MemorySegment.ofArray(rsts.get(2)), 34);
        assertThat(third.ack()).as("FIN + 3 bytes after a 24-byte IP header").isEqualTo(9004);
        assertThat(new Ipv4View().wrap(MemorySegment.ofArray(rsts.get(2)), 14).tos()).isZero();
    }

    @Test
    void ipv6ResetsAreBuiltAsNfSendReset6() {
        List<byte[]> rsts = replies(IpProto.TCP).stream().filter(f -> f[12] == (byte) 0x86).toList();
        // SYN, ACK, SYN behind hop-by-hop (forward), SYN at input, SYN at prerouting; not the RST
        assertThat(rsts).hasSize(5);
        Ipv6View ip = new Ipv6View().wrap(MemorySegment.ofArray(rsts.get(1)), 14);
        assertThat(ip.trafficClass()).isZero();
        assertThat(ip.hopLimit()).isEqualTo(64);
        assertThat(ip.srcHi()).isEqualTo(FAR6[0]);
        TcpView tcp = new TcpView().wrap(MemorySegment.ofArray(rsts.get(1)), 54);
        assertThat(tcp.flags()).isEqualTo(TcpView.RST);
        assertThat(tcp.seq()).isEqualTo(777);
    }

    @Test
    void icmpCodesFollowTheStatement() {
        List<Integer> codes = new ArrayList<>();
        List<Integer> sources = new ArrayList<>();
        for (byte[] f : replies(IpProto.ICMP)) {
            codes.add(f[14 + 20 + 1] & 0xff);
            sources.add(new Ipv4View().wrap(MemorySegment.ofArray(f), 14).src());
        }
        // forward: 1001, 1002, 1003, 1004, 1009, UDP without checksum, protocol 253 whose payload sums to
        // 0xffff (not the other), the first fragment, 1001 with TOS, echo request, host C (not the bad UDP
        // checksum, the later fragment, the ICMP error); input: 10.0.1.1, 10.0.2.1 (not the broadcast);
        // prerouting: 10.0.2.1, answered from 10.0.1.1 by the route back. As Linux 6.18 does (repliesMatchLinux).
        assertThat(codes).containsExactly(3, 1, 13, 9, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3);
        assertThat(sources.subList(11, 14)).containsExactly(R4, R4B, R4);
    }

    @Test
    void icmpv6CodesFollowTheStatement() {
        List<Integer> codes = new ArrayList<>();
        for (byte[] f : replies(IpProto.ICMPV6)) {
            PacketParser.parse(MemorySegment.ofArray(f), 0, f.length, pi);
            int type = f[pi.l4Offset] & 0xff;
            if (type == 1) {
                codes.add(f[pi.l4Offset + 1] & 0xff);
            }
        }
        // forward: 1001, 2002, 2003, 1009 (no route), 1001 behind destination options, the first fragment,
        // echo request (not the later fragment, not protocol 253 with a bad pseudo-header sum); input: 2;
        // prerouting: 1
        assertThat(codes).containsExactly(4, 1, 3, 0, 4, 4, 4, 4, 4, 4);
    }

    @Test
    void icmpxMapping() {
        assertThat(NfReject.icmpCode(NfReject.ICMPX_NO_ROUTE)).isZero();
        assertThat(NfReject.icmpCode(NfReject.ICMPX_PORT_UNREACH)).isEqualTo(3);
        assertThat(NfReject.icmpCode(NfReject.ICMPX_HOST_UNREACH)).isEqualTo(1);
        assertThat(NfReject.icmpCode(NfReject.ICMPX_ADMIN_PROHIBITED)).isEqualTo(13);
        assertThat(NfReject.icmpv6Code(NfReject.ICMPX_NO_ROUTE)).isZero();
        assertThat(NfReject.icmpv6Code(NfReject.ICMPX_PORT_UNREACH)).isEqualTo(4);
        assertThat(NfReject.icmpv6Code(NfReject.ICMPX_HOST_UNREACH)).isEqualTo(3);
        assertThat(NfReject.icmpv6Code(NfReject.ICMPX_ADMIN_PROHIBITED)).isEqualTo(1);
        assertThat(NfReject.icmpCode(4)).isEqualTo(-1);
    }

    @Test
    void ownPacketsOtherHooksAndOtherFamiliesGetNoReply() throws Exception {
        NetConfig cfg = NetFile.parse(NET, "net.conf");
        List<byte[]> sent = new ArrayList<>();
        Router router = new Router(cfg, new Sysctl(),
                (dev, seg, off, len, now) -> sent.add(new byte[len]));
        NfReject reject = new NfReject(router, new Sysctl());
        org.jnft.vm.NftPacket p = new org.jnft.vm.NftPacket();
        // A UDP datagram the router itself sends (output hook: no link layer, IP header at frameOffset).
        byte[] own = PacketBuilder.ether(R_A, HOST_A).ipv4(R4, H4).ttl(64).udp(53, 40000).payloadLength(8).build();
        byte[] tcp = PacketBuilder.ether(R_A, HOST_A).ipv4(R4, H4).ttl(64).tcp(22, 40000, TcpView.SYN, 1, 0).build();
        byte[] own6 = PacketBuilder.ether(R_A, HOST_A).ipv6(R6[0], R6[1], H6[0], H6[1]).hopLimit(64).udp(53, 1)
                .payloadLength(8).build();
        for (byte[] f : List.of(own, tcp, own6)) {
            p.segment = MemorySegment.ofArray(f);
            p.frameOffset = 14;
            p.frameLength = f.length - 14;
            p.linkOffset = -1;
            p.networkOffset = 0;
            p.protocol = f[12] == 0x08 ? 0x0800 : 0x86dd;
            p.nfproto = f[12] == 0x08 ? org.jnft.vm.NftPacket.NFPROTO_IPV4 : org.jnft.vm.NftPacket.NFPROTO_IPV6;
            p.setIif(0, "");
            p.setOif(cfg.devices().byName("lan").ifindex(), "lan");
            p.hook = org.jnft.vm.NftPacket.HOOK_OUTPUT;
            for (int[] tc : new int[][] {{0, 3}, {1, 0}, {2, 1}}) {
                assertThat(reject.reject(p, tc[0], tc[1])).isFalse();
            }
            p.hook = org.jnft.vm.NftPacket.HOOK_POSTROUTING; // nft refuses reject there
            assertThat(reject.reject(p, 2, 1)).isFalse();
        }
        // netdev family: nft_reject_netdev is not implemented
        p.segment = MemorySegment.ofArray(frames().get(0));
        p.frameOffset = 0;
        p.linkOffset = 0;
        p.networkOffset = 14;
        p.frameLength = frames().get(0).length;
        p.protocol = 0x0800;
        p.nfproto = org.jnft.vm.NftPacket.NFPROTO_NETDEV;
        p.hook = org.jnft.vm.NftPacket.HOOK_INGRESS;
        assertThat(reject.reject(p, 2, 1)).isFalse();
        assertThat(reject.reject(p, 2, 9)).as("no such icmpx code").isFalse();
        assertThat(sent).isEmpty();
    }

    @Test
    void repliesAllocateNothing() throws Exception {
        NetConfig cfg = NetFile.parse(NET, "net.conf");
        long[] count = {0};
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("rules.nft", ruleset(false))), 1));
        Router router = new Router(cfg, new Sysctl(),
                (dev, seg, off, len, now) -> count[0]++, rules);
        NfReject reject = new NfReject(router, new Sysctl());
        Map<String, int[]> byPrefix = new java.util.HashMap<>();
        for (Rule r : RULES) {
            byPrefix.put("R" + r.type + ":" + r.code, new int[] {r.type, r.code});
        }
        router.engine().logSink = (prefix, level, flags, p) -> {
            int[] tc = byPrefix.get(prefix);
            reject.reject(p, tc[0], tc[1]);
        };
        List<byte[]> frames = frames();
        PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        int lan = cfg.devices().byName("lan").ifindex();
        long[] clock = {T0};
        Runnable burst = () -> {
            for (int i = 0; i < 100; i++) {
                for (byte[] f : frames) {
                    clock[0] += 1_000_000_000L; // a second apart: nothing is rate limited
                    router.advanceTo(clock[0]);
                    buf.load(f);
                    buf.ifindex = lan;
                    router.receive(buf);
                }
            }
        };
        burst.run();
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        long sentBefore = count[0];
        burst.run();
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(count[0] - sentBefore).isEqualTo(100L * 34);
        assertThat(allocated).as("bytes allocated for 4,400 rejected packets").isLessThan(20_000);
    }

    @TempDir
    Path tmp;

    @Test
    void repliesMatchLinux() throws Exception {
        Path kr = Path.of("").toAbsolutePath();
        while (kr != null && !Files.exists(kr.resolve("core").resolve("pom.xml"))) {
            kr = kr.getParent();
        }
        if ("true".equals(System.getenv("CI")) && kr == null) {
            throw new AssertionError("CI=true but ../shared/tools/kernel-replay is missing");
        }
        assumeTrue(kr != null);
        Path kr2 = kr.getParent() == null ? kr : kr.getParent().resolveSibling("shared");
        kr = kr.resolveSibling("shared").resolve("tools").resolve("kernel-replay");
        if (!Files.exists(kr)) { // a worktree one level further down (../../shared)
            kr = kr2.resolve("tools").resolve("kernel-replay");
        }
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean ready = Files.isExecutable(kr) && isRoot() && Files.isExecutable(Path.of("/usr/bin/python3"))
                && Files.isExecutable(Path.of("/usr/sbin/nft"));
        if (ci && !ready) {
            throw new AssertionError("CI=true but kernel-replay, root, nft or python3 is missing");
        }
        if ("true".equals(System.getenv("CI")) && !ready) {
            throw new AssertionError("CI=true but kernel-replay cannot run (root, nft, /usr/bin/python3)");
        }
        assumeTrue(ready, "kernel-replay needs root, nft and /usr/bin/python3");
        Files.writeString(tmp.resolve("net.conf"), NET);
        Files.writeString(tmp.resolve("rules.nft"), ruleset(true));
        try (PcapWriter w = PcapWriter.create(tmp.resolve("lan-in.pcap"))) {
            long t = T0;
            for (byte[] f : frames()) {
                t += GAP;
                w.write(t, f);
            }
        }
        Path linux = tmp.resolve("linux");
        Process p = new ProcessBuilder(kr.toString(), "--net", tmp.resolve("net.conf").toString(), "--ruleset",
                tmp.resolve("rules.nft").toString(), "--in", "lan=" + tmp.resolve("lan-in.pcap"), "--out",
                linux.toString(), "--set", "net.ipv4.icmp_ratelimit=0", "--set", "net.ipv6.icmp.ratelimit=0")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("kr.log").toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("kr.log"))).isZero();
        for (String dev : List.of("lan", "wan")) {
            assertThat(normalise(sent(dev))).as("frames sent on " + dev + " (jnft vs Linux)")
                    .containsExactlyElementsOf(normalise(readPcap(linux.resolve(dev + ".pcap"))));
        }
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            return new String(p.getInputStream().readAllBytes()).trim().equals("0");
        } catch (Exception e) {
            return false;
        }
    }

    static List<byte[]> readPcap(Path pcap) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        if (!Files.exists(pcap)) {
            return frames;
        }
        try (PcapReader r = PcapReader.open(pcap, pcap.toString())) {
            while (r.next()) {
                frames.add(r.frame().asSlice(0, r.capturedLength()).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return frames;
    }
}
