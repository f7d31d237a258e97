package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.jnft.nft.Frontend;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;
import org.jnft.route.Fib;
import org.jnft.route.NetConfig;
import org.jnft.route.NetFile;
import org.jnft.route.Route;
import org.jnft.vm.RulesetHolder;
import org.junit.jupiter.api.Test;

/**
 * Masquerade's lifecycle (nf_nat_masquerade.c, nf_nat_inet_fn): connections die with the address they were
 * masqueraded to and with their device, and a packet whose route moved to another interface kills its
 * connection and is dropped, the next one being masqueraded anew. Replay cannot change addresses or routes
 * mid-run, so these drive a Router directly.
 */
class MasqueradeLifecycleTest {
    static final String NET = """
            link add lan address 02:00:00:00:0a:01
            link add wan address 02:00:00:00:0b:01
            link add wan2 address 02:00:00:00:0c:01
            addr add 10.0.1.1/24 dev lan
            addr add 2001:db8:a::1/64 dev lan
            addr add 10.0.2.1/24 dev wan
            addr add 2001:db8:b::1/64 dev wan
            addr add 10.0.3.1/24 dev wan2
            route add 198.51.100.0/24 via 10.0.2.2 dev wan
            route add 203.0.113.0/24 via 10.0.3.2 dev wan2
            route add 2001:db8:100::/48 via 2001:db8:b::2 dev wan
            neigh add 10.0.1.2 lladdr 02:00:00:00:0a:02 dev lan
            neigh add 2001:db8:a::2 lladdr 02:00:00:00:0a:02 dev lan
            neigh add 10.0.2.2 lladdr 02:00:00:00:0b:02 dev wan
            neigh add 2001:db8:b::2 lladdr 02:00:00:00:0b:02 dev wan
            neigh add 10.0.3.2 lladdr 02:00:00:00:0c:02 dev wan2
            """;
    static final String RULES = """
            table inet nat {
                chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan" tcp dport 8080 dnat ip to 10.0.1.2:80
                }
                chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname { "wan", "wan2" } masquerade
                }
            }
            """;
    static final long HOST = Addresses.parseMac("02:00:00:00:0a:02");
    static final long R_LAN = Addresses.parseMac("02:00:00:00:0a:01");
    static final long GW = Addresses.parseMac("02:00:00:00:0b:02");
    static final long R_WAN = Addresses.parseMac("02:00:00:00:0b:01");
    static final int H = Addresses.parseIpv4("10.0.1.2");
    static final int FAR = Addresses.parseIpv4("198.51.100.7");
    static final int OTHER = Addresses.parseIpv4("203.0.113.9");
    static final int WAN = Addresses.parseIpv4("10.0.2.1");
    static final long[] H6 = Addresses.parseIpv6("2001:db8:a::2");
    static final long[] FAR6 = Addresses.parseIpv6("2001:db8:100::7");
    static final long[] WAN6 = Addresses.parseIpv6("2001:db8:b::1");

    record Sent(String dev, byte[] frame) {}

    final NetConfig cfg;
    final Router router;
    final List<Sent> sent = new ArrayList<>();
    final PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
    long clock = 1_000_000_000L;

    MasqueradeLifecycleTest() throws Exception {
        cfg = NetFile.parse(NET, "test.net");
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("rules.nft", RULES)), 1));
        router = new Router(cfg, new Sysctl(), (dev, seg, off, len, now) ->
                sent.add(new Sent(dev.name(), seg.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE))), rules);
    }

    int ifindex(String name) {
        return cfg.devices().byName(name).ifindex();
    }

    void receive(String dev, byte[] frame) {
        clock += 10_000_000L;
        router.advanceTo(clock);
        buf.load(frame);
        buf.ifindex = ifindex(dev);
        router.receive(buf);
    }

    /** A masqueraded TCP connection through its handshake, a UDP flow, a ping, an IPv6 UDP flow, a port forward. */
    void openConnections() {
        receive("lan", PacketBuilder.ether(HOST, R_LAN).ipv4(H, FAR).ttl(64).tcp(41000, 443, TcpView.SYN, 1000, 0)
                .window(64240).build());
        receive("wan", PacketBuilder.ether(GW, R_WAN).ipv4(FAR, WAN).ttl(50)
                .tcp(443, 41000, TcpView.SYN | TcpView.ACK, 5000, 1001).window(65160).build());
        receive("lan", ackFromHost(FAR));
        receive("lan", PacketBuilder.ether(HOST, R_LAN).ipv4(H, FAR).ttl(64).udp(5000, 53).payloadLength(20).build());
        receive("lan", PacketBuilder.ether(HOST, R_LAN).ipv4(H, OTHER).ttl(64).udp(5001, 53).payloadLength(20).build());
        receive("lan", PacketBuilder.ether(HOST, R_LAN).ipv6(H6[0], H6[1], FAR6[0], FAR6[1]).hopLimit(64)
                .udp(5002, 53).payloadLength(20).build());
        receive("wan", PacketBuilder.ether(GW, R_WAN).ipv4(FAR, WAN).ttl(50).tcp(45000, 8080, TcpView.SYN, 7, 0)
                .window(1000).build());
    }

    static byte[] ackFromHost(int dst) {
        return PacketBuilder.ether(HOST, R_LAN).ipv4(H, dst).ttl(64).tcp(41000, 443, TcpView.ACK, 1001, 5001)
                .window(502).build();
    }

    List<String> conntrack() {
        return router.conntrackLines();
    }

    @Test
    void removingTheAddressKillsOnlyTheConnectionsMasqueradedToIt() {
        openConnections();
        assertThat(conntrack()).hasSize(5);
        assertThat(router.addressRemoved(ifindex("wan"), 0, Addresses.parseIpv4("10.0.2.99") & 0xffff_ffffL))
                .as("another address of the device").isZero();
        assertThat(router.addressRemoved(ifindex("lan"), 0, WAN & 0xffff_ffffL)).as("another device").isZero();
        assertThat(router.addressRemoved(ifindex("wan"), 0, WAN & 0xffff_ffffL)).isEqualTo(2);
        assertThat(conntrack()).hasSize(3)
                .noneMatch(l -> l.contains("src=10.0.1.2 dst=198.51.100.7 sport=41000 ") || l.contains("sport=5000 "))
                .anyMatch(l -> l.contains("dst=10.0.3.1 ")) // masqueraded on wan2
                .anyMatch(l -> l.contains("dst=2001:db8:b::1 ")) // IPv6: another address
                .anyMatch(l -> l.contains("dport=8080 ")); // the port forward is not masqueraded
        assertThat(router.addressRemoved(ifindex("wan"), WAN6[0], WAN6[1])).isEqualTo(1);
        assertThat(conntrack()).hasSize(2).noneMatch(l -> l.contains("2001:db8:b::1"));
    }

    @Test
    void aDeviceGoingDownKillsItsMasqueradedConnections() {
        openConnections();
        router.deviceDown(ifindex("wan"));
        assertThat(conntrack()).hasSize(2).anyMatch(l -> l.contains("dst=10.0.3.1 ")).anyMatch(l -> l.contains("dport=8080 "));
    }

    @Test
    void aPacketLeavingByAnotherInterfaceKillsItsConnectionAndTheNextIsMasqueradedAnew() {
        openConnections();
        int before = sent.size();
        // the route to the server moves to wan2
        Fib moved = Fib.of(cfg.devices(), List.of(
                Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, Addresses.parseIpv4("198.51.100.0"), 24,
                        cfg.devices().byName("wan2"), true, Addresses.parseIpv4("10.0.3.2"), 0, false),
                Route.ipv4(Route.UNICAST, Route.TABLE_MAIN, Addresses.parseIpv4("203.0.113.0"), 24,
                        cfg.devices().byName("wan2"), true, Addresses.parseIpv4("10.0.3.2"), 0, false)));
        router.replaceFib(moved);
        // a reply still comes in on wan: translated back as before (only the original direction is checked)
        receive("wan", PacketBuilder.ether(GW, R_WAN).ipv4(FAR, WAN).ttl(50)
                .tcp(443, 41000, TcpView.ACK | TcpView.PSH, 5001, 1001).window(501).payloadLength(10).build());
        assertThat(sent.subList(before, sent.size())).extracting(Sent::dev).containsExactly("lan");
        long drops = router.stats().drops(DropReason.NETFILTER_DROP);
        receive("lan", ackFromHost(FAR));
        assertThat(sent).hasSize(before + 1);
        assertThat(router.stats().drops(DropReason.NETFILTER_DROP)).isEqualTo(drops + 1);
        assertThat(conntrack()).noneMatch(l -> l.startsWith("tcp ") && l.contains("sport=41000"));
        // the next one is a new connection (picked up mid-stream), masqueraded to wan2's address
        receive("lan", ackFromHost(FAR));
        Sent out = sent.getLast();
        assertThat(out.dev()).isEqualTo("wan2");
        assertThat(MemorySegment.ofArray(out.frame()).get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(
                java.nio.ByteOrder.BIG_ENDIAN), 26)).isEqualTo(Addresses.parseIpv4("10.0.3.1"));
        assertThat(conntrack()).anyMatch(l -> l.startsWith("tcp ") && l.contains("src=198.51.100.7 dst=10.0.3.1 sport=443 dport=41000 "));
    }
}
