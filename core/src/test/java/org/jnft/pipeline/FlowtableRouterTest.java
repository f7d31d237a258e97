package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jnft.flowtable.Flowtable;
import org.jnft.nft.Frontend;
import org.jnft.nft.Interfaces;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.jnft.packet.Addresses;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.packet.TcpView;
import org.jnft.route.NetConfig;
import org.jnft.route.NetFile;
import org.jnft.route.Route;
import org.jnft.vm.RulesetHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flowtable's life with the rest of the router: neighbour and route changes, devices going down, ruleset
 * generations that keep, change or drop a flowtable, and the one-line warning for {@code flags offload}.
 */
class FlowtableRouterTest {
    static final String NET = """
            link add lan address 02:00:00:00:0a:01
            link add wan address 02:00:00:00:0b:01
            addr add 10.0.1.1/24 dev lan
            addr add 10.0.2.1/24 dev wan
            route add 198.51.100.0/24 via 10.0.2.2 dev wan
            neigh add 10.0.2.2 lladdr 02:00:00:00:0b:02 dev wan
            """;
    static final String RULES = """
            table inet filter {
                flowtable ft {
                    hook ingress priority 0
                    devices = { lan, wan }
                    FLAGS
                }
                chain forward {
                    type filter hook forward priority 0; policy accept;
                    meta l4proto tcp flow add @ft
                    counter
                }
            }
            """;
    static final long R_A = Addresses.parseMac("02:00:00:00:0a:01");
    static final long R_B = Addresses.parseMac("02:00:00:00:0b:01");
    static final long HOST = Addresses.parseMac("02:00:00:00:0a:02");
    static final long HOST_NEW = Addresses.parseMac("02:00:00:00:0a:77");
    static final long GW = Addresses.parseMac("02:00:00:00:0b:02");
    static final int H = Addresses.parseIpv4("10.0.1.2");
    static final int R = Addresses.parseIpv4("10.0.1.1");
    static final int FAR = Addresses.parseIpv4("198.51.100.7");

    record Sent(String dev, byte[] frame) {}

    final List<Sent> sent = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final RulesetHolder holder = new RulesetHolder();
    final PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
    NetConfig net;
    Router router;
    long clock = 1_000_000_000L;
    int seqA = 1001;
    int seqB = 5001;

    @BeforeEach
    void setUp() throws Exception {
        net = NetFile.parse(NET, "net");
        holder.swap(rules(RULES.replace("FLAGS", ""), 1));
        router = new Router(net, new Sysctl(), (dev, seg, off, len, now) -> sent.add(new Sent(dev.name(),
                seg.asSlice(off, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))), holder);
        router.warnings(warnings::add);
    }

    static org.jnft.vm.Ruleset rules(String text, long gen) throws Exception {
        return SnapshotBuilder.build(Frontend.loadText(new Source("r.nft", text),
                Interfaces.of(Map.of("lo", 1, "lan", 2, "wan", 3))), gen);
    }

    void in(String dev, byte[] frame) {
        clock += 10_000_000L;
        router.advanceTo(clock);
        buf.load(frame);
        buf.ifindex = router.devices().byName(dev).ifindex();
        buf.timestamp = clock;
        router.receive(buf);
    }

    void fromHost(int flags, int payload) {
        in("lan", PacketBuilder.ether(HOST, R_A).ipv4(H, FAR).ttl(64).tcp(41000, 443, flags, seqA, seqB).window(500)
                .payloadLength(payload).build());
        seqA += payload;
    }

    void fromServer(int flags, int payload) {
        in("wan", PacketBuilder.ether(GW, R_B).ipv4(FAR, H).ttl(60).tcp(443, 41000, flags, seqB, seqA).window(500)
                .payloadLength(payload).build());
        seqB += payload;
    }

    /** The host announces itself (an ARP request for the router), then opens a connection that gets offloaded. */
    void connect(long hostMac) {
        in("lan", PacketBuilder.ether(hostMac, 0xffff_ffff_ffffL).arp(1, hostMac, H, 0, R).build());
        in("lan", PacketBuilder.ether(hostMac, R_A).ipv4(H, FAR).ttl(64).tcp(41000, 443, TcpView.SYN, 1000, 0)
                .window(500).build());
        fromServer(TcpView.SYN | TcpView.ACK, 0);
        seqB = 5001;
        fromHost(TcpView.ACK, 0);
        assertThat(flows()).isEqualTo(1);
    }

    Flowtable ft() {
        return router.flowtables.all().getFirst();
    }

    int flows() {
        return router.flowtables.all().isEmpty() ? 0 : ft().flowCount();
    }

    String conntrack() {
        return String.join("\n", router.conntrackLines());
    }

    long lastDstMac(String dev) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).dev().equals(dev)) {
                byte[] f = sent.get(i).frame();
                long mac = 0;
                for (int k = 0; k < 6; k++) {
                    mac = mac << 8 | (f[k] & 0xff);
                }
                return mac;
            }
        }
        return -1;
    }

    @Test
    void aNeighbourChangeOnlyUpdatesTheNextHopMac() {
        connect(HOST);
        fromServer(TcpView.ACK, 10);
        assertThat(lastDstMac("lan")).isEqualTo(HOST);
        long hits = ft().hits;
        // the host's address moves to another MAC (an ARP request from it overrides the entry)
        in("lan", PacketBuilder.ether(HOST_NEW, 0xffff_ffff_ffffL).arp(1, HOST_NEW, H, 0, R).build());
        fromServer(TcpView.ACK, 10);
        assertThat(ft().hits).isEqualTo(hits + 1);
        assertThat(flows()).isEqualTo(1);
        assertThat(lastDstMac("lan")).isEqualTo(HOST_NEW);
    }

    @Test
    void aRouteChangeTearsTheFlowDownAndTheClassicPathTakesOver() throws Exception {
        connect(HOST);
        long hits = ft().hits;
        List<Route> routes = new ArrayList<>(router.fib.routes());
        Route far = routes.stream().filter(r -> r.prefixLength() == 24 && r.prefix4() == Addresses.parseIpv4(
                "198.51.100.0")).findFirst().orElseThrow();
        router.replaceFib(router.fib.withoutRoute(far).withRoute(far));
        fromHost(TcpView.ACK | TcpView.PSH, 10);
        assertThat(ft().hits).isEqualTo(hits);
        assertThat(ft().misses).isPositive();
        // the packet went the classic way, where `flow add` offloaded the connection again on the new routes
        assertThat(ft().added).isEqualTo(2);
        assertThat(flows()).isEqualTo(1);
        fromHost(TcpView.ACK | TcpView.PSH, 10);
        assertThat(ft().hits).isEqualTo(hits + 1);
    }

    @Test
    void aDeviceGoingDownTakesItsFlowsAndHandsTheConnectionBack() {
        connect(HOST);
        assertThat(conntrack()).contains("[OFFLOAD]").contains("use=2");
        router.deviceDown(router.devices().byName("wan").ifindex());
        assertThat(flows()).isZero();
        assertThat(conntrack()).doesNotContain("OFFLOAD").contains("ESTABLISHED").contains("use=1");
    }

    @Test
    void aNewGenerationKeepsTheFlowsOfAFlowtableItStillDeclares() throws Exception {
        connect(HOST);
        holder.swap(rules(RULES.replace("FLAGS", "counter"), 2));
        fromHost(TcpView.ACK | TcpView.PSH, 10);
        assertThat(flows()).isEqualTo(1);
        assertThat(ft().added).isEqualTo(1);
        assertThat(ft().use).as("rules using it: deleting it would be refused").isEqualTo(1);
        assertThat(ft().counter()).isTrue();
        assertThat(ft().hits).isEqualTo(1);
    }

    @Test
    void removingADeviceFromTheFlowtableTearsItsFlowsDown() throws Exception {
        connect(HOST);
        holder.swap(rules(RULES.replace("FLAGS", "").replace("devices = { lan, wan }", "devices = { lan }"), 2));
        fromServer(TcpView.ACK, 10); // wan has no hook any more: the flow through it is gone
        assertThat(ft().hits).isZero();
        // that packet passed the forward chain and offloaded the connection again, lan direction only
        assertThat(ft().added).isEqualTo(2);
        assertThat(flows()).isEqualTo(1);
        fromHost(TcpView.ACK, 0);
        assertThat(ft().hits).isEqualTo(1);
    }

    @Test
    void aGenerationWithoutTheFlowtableFlushesItsFlows() throws Exception {
        connect(HOST);
        holder.swap(rules("""
                table inet filter {
                    chain forward { type filter hook forward priority 0; ct state established counter; }
                }
                """, 2));
        fromHost(TcpView.ACK | TcpView.PSH, 10);
        assertThat(router.flowtables.all()).isEmpty();
        assertThat(conntrack()).doesNotContain("OFFLOAD").contains("ESTABLISHED");
        assertThat(router.conntrackLines().getFirst()).contains("use=1").doesNotContain("CLOSE");
    }

    @Test
    void flagsOffloadIsAcceptedAndWarnedAboutOnce() throws Exception {
        holder.swap(rules(RULES.replace("FLAGS", "flags offload"), 2));
        connect(HOST);
        holder.swap(rules(RULES.replace("FLAGS", "flags offload\ncounter"), 3));
        fromHost(TcpView.ACK, 0);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst()).contains("flowtable ft").contains("offload");
        assertThat(ft().hwOffload()).isTrue();
        assertThat(ft().hits).isEqualTo(1);
    }

    @Test
    void anEntryKilledInConntrackTakesItsFlowAtOnce() {
        connect(HOST);
        long hits = ft().hits;
        router.ct.kill(router.ct.entryAt(0)); // conntrack -D, an eviction, a masquerade address going away
        assertThat(flows()).isZero();
        assertThat(router.conntrackLines()).isEmpty();
        fromServer(TcpView.ACK, 10); // the classic path picks the connection up again, not yet offloadable
        assertThat(ft().hits).isEqualTo(hits);
    }
}
