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
import org.jnft.packet.Bytes;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketBuilder;
import org.jnft.route.NetConfig;
import org.jnft.route.NetFile;
import org.jnft.vm.RulesetHolder;
import org.junit.jupiter.api.Test;

/**
 * ip_route_me_harder after output NAT (LocalReroute): the router's answer to a far host source-NATed at input
 * is routed towards the NAT address first, then again towards the far host once output NAT restored it; with
 * no route to the far host it is dropped. (The oracle comparison is NatKernelReplayTest's.)
 */
class LocalRerouteTest {
    static final String RULES = """
            table ip nat {
                chain in {
                    type nat hook input priority 100; policy accept;
                    ip saddr 198.51.100.7 snat to 10.0.2.50
                }
            }
            """;
    static final long GW = Addresses.parseMac("02:00:00:00:0b:02");
    static final long R_WAN = Addresses.parseMac("02:00:00:00:0b:01");

    record Sent(String dev, byte[] frame) {}

    List<Sent> ping(String net) throws Exception {
        NetConfig cfg = NetFile.parse(net, "test.net");
        RulesetHolder rules = new RulesetHolder();
        rules.swap(SnapshotBuilder.build(Frontend.loadText(new Source("rules.nft", RULES)), 1));
        List<Sent> sent = new ArrayList<>();
        Router router = new Router(cfg, new Sysctl(), (dev, seg, off, len, now) ->
                sent.add(new Sent(dev.name(), seg.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE))), rules);
        PacketBuffer buf = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        router.advanceTo(1_000_000_000L);
        buf.load(PacketBuilder.ether(GW, R_WAN).ipv4(Addresses.parseIpv4("198.51.100.7"), Addresses.parseIpv4("10.0.2.1"))
                .ttl(50).icmpEcho(true, 5, 1).payloadLength(8).build());
        buf.ifindex = cfg.devices().byName("wan").ifindex();
        router.receive(buf);
        dropped = router.stats().drops(DropReason.NETFILTER_DROP);
        return sent;
    }

    long dropped;

    @Test
    void theAnswerIsRoutedAgainTowardsTheRestoredDestination() throws Exception {
        List<Sent> sent = ping("""
                link add wan address 02:00:00:00:0b:01
                addr add 10.0.2.1/24 dev wan
                route add 198.51.100.0/24 via 10.0.2.2 dev wan
                neigh add 10.0.2.2 lladdr 02:00:00:00:0b:02 dev wan
                """);
        assertThat(sent).hasSize(1);
        MemorySegment f = MemorySegment.ofArray(sent.getFirst().frame());
        assertThat(Bytes.u48(f, 0)).as("to the gateway, not to a neighbour 10.0.2.50").isEqualTo(GW);
        assertThat(Bytes.u32(f, 30)).as("destination restored").isEqualTo(Addresses.parseIpv4("198.51.100.7"));
        assertThat(Bytes.u8(f, 34)).as("an echo reply").isZero();
    }

    @Test
    void withoutARouteToTheRestoredDestinationTheAnswerIsDropped() throws Exception {
        List<Sent> sent = ping("""
                link add wan address 02:00:00:00:0b:01
                addr add 10.0.2.1/24 dev wan
                neigh add 10.0.2.50 lladdr 02:00:00:00:0b:50 dev wan
                """);
        assertThat(sent).isEmpty();
        assertThat(dropped).isEqualTo(1);
    }
}
