package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.route.NetConfig;
import org.jnft.route.NetFile;
import org.jnft.nft.Frontend;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.jnft.vm.RulesetHolder;
import org.junit.jupiter.api.Test;

/** The data plane allocates nothing per packet: forwarding, ICMP errors, echo replies and drops alike. */
class RouterAllocationTest {
    static final String NET = """
            link add lan address 02:00:00:00:01:01
            link add wan address 02:00:00:00:02:01 mtu 1400
            addr add 192.168.1.1/24 dev lan
            addr add 2001:db8:1::1/64 dev lan
            addr add 203.0.113.1/24 dev wan
            addr add 2001:db8:2::1/64 dev wan
            route add default via 203.0.113.254 dev wan
            route add default via 2001:db8:2::fe dev wan
            neigh add 192.168.1.10 lladdr 02:00:00:00:01:10 dev lan
            neigh add 2001:db8:1::10 lladdr 02:00:00:00:01:10 dev lan
            neigh add 203.0.113.254 lladdr 02:00:00:00:02:fe dev wan
            neigh add 2001:db8:2::fe lladdr 02:00:00:00:02:fe dev wan
            """;

    static final String RULES = """
            table inet filter {
                set blocked { type ipv4_addr; flags interval; elements = { 203.0.113.0/24, 192.0.2.7 } }
                chain input { type filter hook input priority 0; policy accept;
                    tcp dport { 22, 80, 443 } counter accept
                    icmp type echo-request limit rate 100000/second accept
                }
                chain forward { type filter hook forward priority 0; policy accept;
                    ip daddr @blocked drop
                    meta l4proto { tcp, udp } th dport 9 drop
                    ip6 nexthdr udp udp dport 53 counter
                    meta mark set 0x2a
                }
                chain post { type filter hook postrouting priority 100; policy accept;
                    meta mark 0x2a counter
                    oifname "wan" ip ttl 1 drop
                }
                chain out { type filter hook output priority 0; policy accept;
                    icmp type time-exceeded counter accept
                }
            }
            """;

    @Test
    void noAllocationPerPacket() throws Exception {
        run(new RulesetHolder());
    }

    @Test
    void noAllocationPerPacketThroughFilterChains() throws Exception {
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("rules.nft", RULES)), 1));
        run(rules);
    }

    @Test
    void noAllocationPerPacketWithConntrack() throws Exception {
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("rules.nft", """
                table inet filter {
                    chain forward { type filter hook forward priority 0; policy accept;
                        ct state established,related counter accept
                        ct state invalid counter
                        ct original ip saddr 192.168.1.10 meta l4proto tcp ct original proto-dst 443 counter
                    }
                }
                """)), 1));
        run(rules);
    }

    /**
     * NAT on established traffic: a masqueraded TCP connection both ways, a port-forwarded UDP flow both
     * ways, a masqueraded ping and its reply, and a reject of a port-forwarded packet (reset from the
     * forwarded address), with conntrack and NAT translating every packet.
     */
    @Test
    void noAllocationPerPacketThroughNat() throws Exception {
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("rules.nft", """
                table ip nat {
                    chain pre { type nat hook prerouting priority dstnat; policy accept;
                        iifname "wan" udp dport 5353 dnat to 192.168.1.10:53
                        iifname "wan" tcp dport 2222 dnat to 192.168.1.10:22
                    }
                    chain post { type nat hook postrouting priority srcnat; policy accept;
                        oifname "wan" masquerade
                    }
                }
                table inet filter {
                    chain forward { type filter hook forward priority 0; policy accept;
                        ct state established,related accept
                        tcp dport 22 reject with tcp reset
                    }
                }
                """)), 1));
        NetConfig cfg = NetFile.parse(NET, "test.net");
        long[] sent = new long[1];
        Router router = new Router(cfg, new Sysctl(), (dev, frame, off, len, now) -> sent[0]++, rules);
        long host = Addresses.parseMac("02:00:00:00:01:10");
        long rLan = Addresses.parseMac("02:00:00:00:01:01");
        long gw = Addresses.parseMac("02:00:00:00:02:fe");
        long rWan = Addresses.parseMac("02:00:00:00:02:01");
        int h = Addresses.parseIpv4("192.168.1.10");
        int far = Addresses.parseIpv4("198.51.100.20");
        int wan = Addresses.parseIpv4("203.0.113.1");
        int lan = cfg.devices().byName("lan").ifindex();
        int wanIndex = cfg.devices().byName("wan").ifindex();
        PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        long[] clock = {0};
        java.util.function.BiConsumer<byte[], Integer> send = (f, dev) -> {
            clock[0] += 1_000_000L;
            router.advanceTo(clock[0]);
            buf.load(f);
            buf.ifindex = dev;
            router.receive(buf);
        };
        // the connection's handshake: masqueraded, ESTABLISHED afterwards
        send.accept(PacketBuilder.ether(host, rLan).ipv4(h, far).ttl(64).tcp(40000, 443, 0x02, 1000, 0).window(64240)
                .build(), lan);
        send.accept(PacketBuilder.ether(gw, rWan).ipv4(far, wan).ttl(50).tcp(443, 40000, 0x12, 5000, 1001).window(65160)
                .build(), wanIndex);
        List<byte[]> frames = List.of(
                PacketBuilder.ether(host, rLan).ipv4(h, far).ttl(64).tcp(40000, 443, 0x10, 1001, 5001).window(502)
                        .payloadLength(100).build(),
                PacketBuilder.ether(gw, rWan).ipv4(far, wan).ttl(50).tcp(443, 40000, 0x10, 5001, 1101).window(502)
                        .build(),
                PacketBuilder.ether(gw, rWan).ipv4(far, wan).ttl(50).udp(40001, 5353).payloadLength(22).build(),
                PacketBuilder.ether(host, rLan).ipv4(h, far).ttl(64).udp(53, 40001).payloadLength(40).build(),
                PacketBuilder.ether(host, rLan).ipv4(h, far).ttl(64).icmpEcho(true, 9, 1).payloadLength(16).build(),
                PacketBuilder.ether(gw, rWan).ipv4(far, wan).ttl(50).icmpEcho(false, 9, 1).payloadLength(16).build(),
                PacketBuilder.ether(gw, rWan).ipv4(far, wan).ttl(50).tcp(40002, 2222, 0x02, 77, 0).window(1000).build());
        int[] devs = {lan, wanIndex, wanIndex, lan, lan, wanIndex, wanIndex};
        Runnable burst = () -> {
            for (int i = 0; i < 21_000; i++) {
                send.accept(frames.get(i % frames.size()), devs[i % frames.size()]);
            }
        };
        burst.run(); // warm up
        long before = sent[0];
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = mx.getCurrentThreadAllocatedBytes();
        burst.run();
        allocated = mx.getCurrentThreadAllocatedBytes() - allocated;
        assertThat(sent[0] - before).as("every frame forwarded, translated, or answered by a reset").isEqualTo(21_000);
        assertThat(router.conntrackLines()).anyMatch(l -> l.startsWith("tcp ") && l.contains(" ESTABLISHED ")
                && l.contains("dst=203.0.113.1 sport=443 dport=40000"));
        assertThat(allocated).as("bytes allocated for 21,000 packets").isLessThan(21_000);
    }

    private void run(RulesetHolder rules) throws Exception {
        NetConfig cfg = NetFile.parse(NET, "test.net");
        long[] sent = new long[1];
        Router router = new Router(cfg, new Sysctl(), (dev, frame, off, len, now) -> sent[0]++, rules);
        long host = Addresses.parseMac("02:00:00:00:01:10");
        long r = Addresses.parseMac("02:00:00:00:01:01");
        int h4 = Addresses.parseIpv4("192.168.1.10");
        long[] h6 = Addresses.parseIpv6("2001:db8:1::10");
        long[] far6 = Addresses.parseIpv6("2001:db8:100::20");
        List<byte[]> frames = List.of(
                PacketBuilder.ether(host, r).ipv4(h4, Addresses.parseIpv4("198.51.100.20")).ttl(64).udp(1, 2)
                        .payloadLength(22).build(),
                PacketBuilder.ether(host, r).ipv4(h4, Addresses.parseIpv4("198.51.100.20")).ttl(64)
                        .tcp(40000, 443, 0x10, 1, 1).payloadLength(1000).build(),
                PacketBuilder.ether(host, r).ipv4(h4, Addresses.parseIpv4("198.51.100.20")).ttl(1).udp(1, 2)
                        .payloadLength(22).build(),
                PacketBuilder.ether(host, r).ipv4(h4, Addresses.parseIpv4("198.51.100.20")).ttl(64).udp(1, 2)
                        .payloadLength(1450).build(),
                PacketBuilder.ether(host, r).ipv4(h4, Addresses.parseIpv4("192.168.1.1")).ttl(64)
                        .icmpEcho(true, 7, 7).payloadLength(56).build(),
                PacketBuilder.ether(host, r).ipv6(h6[0], h6[1], far6[0], far6[1]).hopLimit(64).udp(1, 2)
                        .payloadLength(100).build(),
                PacketBuilder.ether(host, r).ipv6(h6[0], h6[1], far6[0], far6[1]).hopLimit(1).udp(1, 2)
                        .payloadLength(100).build(),
                PacketBuilder.ether(host, 0x0200_0000_0199L).ipv4(h4, 1).ttl(64).udp(1, 2).build());
        PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        int lan = cfg.devices().byName("lan").ifindex();
        long[] clock = {0};
        Runnable burst = () -> {
            for (int i = 0; i < 20_000; i++) {
                clock[0] += 1_000_000_000L; // a second apart: no ICMP error is rate limited
                router.advanceTo(clock[0]);
                buf.load(frames.get(i % frames.size()));
                buf.ifindex = lan;
                router.receive(buf);
            }
        };
        burst.run(); // warm up: class loading and JIT compilation allocate, packets must not
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        burst.run();
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(sent[0]).as("frames sent: one per frame, two for the fragmented one, none for the OTHERHOST one")
                .isEqualTo(40_000);
        assertThat(allocated).as("bytes allocated for 20,000 packets").isLessThan(20_000);
    }
}
