package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.jnft.packet.PacketBuffer;
import org.junit.jupiter.api.Test;

/**
 * Callbacks may call back into the table, as Linux's error_report does when it sends an ICMP error through
 * the neighbour layer: every packet the table keeps still leaves it exactly once.
 */
class NeighbourTableReentryTest {
    static final long S = 1_000_000_000L;

    @Test
    void icmpErrorsSentFromTheDropCallback() {
        Devices devices = Devices.create(List.of(new NetDevice.Builder("lan", 0x0200_0000_0001L)));
        NetDevice lan = devices.byName("lan");
        int dead = 0x0a000109;
        int source = 0x0a000102;
        MemorySegment icmp = MemorySegment.ofArray(new byte[200]);
        List<String> log = new ArrayList<>();
        long[] now = {100 * S};
        NeighbourTable[] t = new NeighbourTable[1];
        long[] kept = new long[1];
        long[] left = new long[1];
        NeighbourTable.Events events = new NeighbourTable.Events() {
            @Override
            public void solicit4(NetDevice dev, int target, long unicastMac, PacketBuffer tail) {
                log.add("solicit " + Inet.format4(target));
            }

            @Override
            public void solicit6(NetDevice dev, long hi, long lo, long unicastMac, PacketBuffer tail) {
            }

            @Override
            public void release(NetDevice dev, boolean ipv6, PacketBuffer pkt, long mac) {
                left[0]++;
                log.add("release " + pkt.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, pkt.offset()));
            }

            @Override
            public void dropped(NetDevice dev, boolean ipv6, PacketBuffer pkt, int why) {
                left[0]++;
                long id = pkt.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, pkt.offset());
                log.add("dropped " + id + " " + why);
                if (why == NeighbourTable.WHY_FAILED && id < 1000) { // no errors about errors
                    // ICMP host unreachable back to the source, and (perversely) one more to the dead host
                    icmp.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 1000 + id);
                    if (t[0].output4(lan, source, icmp, 0, 56, 0, now[0]) == NeighbourTable.QUEUED) {
                        kept[0]++;
                    }
                    icmp.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 2000 + id);
                    if (t[0].output4(lan, dead, icmp, 0, 56, 0, now[0]) == NeighbourTable.QUEUED) {
                        kept[0]++;
                    }
                }
            }
        };
        t[0] = new NeighbourTable(events);
        MemorySegment pkt = MemorySegment.ofArray(new byte[200]);
        for (long id = 1; id <= 3; id++) {
            pkt.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, id);
            assertThat(t[0].output4(lan, dead, pkt, 0, 100, 2, now[0])).isEqualTo(NeighbourTable.QUEUED);
            kept[0]++;
        }
        long d;
        while ((d = t[0].nextDeadline()) <= 200 * S) {
            now[0] = d;
            t[0].expire(d);
        }
        t[0].purgeQueues();
        assertThat(left[0]).isEqualTo(kept[0]);
        assertThat(t[0].queued()).isZero();
        assertThat(log).startsWith("solicit 10.0.1.9", "solicit 10.0.1.9", "solicit 10.0.1.9", "dropped 1 2",
                "solicit 10.0.1.2", "solicit 10.0.1.9");
        // the ICMP to the dead host restarted its resolution; packets 2 and 3 went with Linux's purge
        assertThat(log).contains("dropped 2 3", "dropped 3 3");
        assertThat(t[0].state4(lan.ifindex(), source)).isEqualTo(NudState.FAILED);
    }
}
