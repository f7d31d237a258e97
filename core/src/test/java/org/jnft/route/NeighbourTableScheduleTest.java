package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jnft.packet.PacketBuffer;
import org.junit.jupiter.api.Test;

/**
 * The probe schedule for random parameters: a new resolution sends mcast_solicit multicast solicitations
 * retrans_time apart (at least 10 ms) from the first packet and fails mcast_solicit * retrans_time after it;
 * an unconfirmed DELAY entry probes ucast_solicit times by unicast from delay_first_probe_time on, then
 * fails (app_solicit and mcast_resolicit 0).
 */
class NeighbourTableScheduleTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    @Test
    void probeScheduleForRandomParameters() {
        Devices devices = Devices.create(List.of(new NetDevice.Builder("lan", 0x0200_0000_0001L)));
        NetDevice lan = devices.byName("lan");
        for (long seed = 1; seed <= 200; seed++) {
            Random rnd = new Random(seed);
            long retrans = rnd.nextInt(3000) * MS;
            long step = Math.max(retrans, 10 * MS);
            int mcast = 1 + rnd.nextInt(5);
            int ucast = rnd.nextInt(5);
            long delay = (1 + rnd.nextInt(8)) * S;
            long reach = (10 + rnd.nextInt(30)) * S;
            NeighbourParams p = new NeighbourParams(reach, retrans, delay, 60 * S, S, mcast, ucast, 0, 0, 212992,
                    128, 512, 1024);
            List<Long> multicast = new ArrayList<>();
            List<Long> unicast = new ArrayList<>();
            List<Long> failures = new ArrayList<>();
            long[] now = {0};
            NeighbourTable t = new NeighbourTable(p, p, new NeighbourTable.Events() {
                @Override
                public void solicit4(NetDevice dev, int target, long unicastMac, PacketBuffer tail) {
                    (unicastMac < 0 ? multicast : unicast).add(now[0]);
                }

                @Override
                public void solicit6(NetDevice dev, long hi, long lo, long unicastMac, PacketBuffer tail) {
                    (unicastMac < 0 ? multicast : unicast).add(now[0]);
                }

                @Override
                public void release(NetDevice dev, boolean ipv6, PacketBuffer pkt, long mac) {
                }

                @Override
                public void dropped(NetDevice dev, boolean ipv6, PacketBuffer pkt, int why) {
                    failures.add(now[0]);
                }
            }, 1 << 20);
            boolean v6 = rnd.nextBoolean();
            long t0 = (1 + rnd.nextInt(100)) * S + rnd.nextInt(1000) * MS;
            now[0] = t0;
            MemorySegment pkt = MemorySegment.ofArray(new byte[100]);
            long r = v6 ? t.output6(lan, 0x2001_0db8_0000_0000L, 9, pkt, 0, 100, 2, t0)
                    : t.output4(lan, 0x0a000009, pkt, 0, 100, 2, t0);
            assertThat(r).isEqualTo(NeighbourTable.QUEUED);
            run(t, now, t0 + 100 * S);
            List<Long> expected = new ArrayList<>();
            for (int k = 0; k < mcast; k++) {
                expected.add(t0 + k * step);
            }
            assertThat(multicast).as("seed %d", seed).isEqualTo(expected);
            assertThat(failures).as("seed %d", seed).containsExactly(t0 + mcast * step);
            assertThat(unicast).isEmpty();

            // confirm, let it go STALE, use it: DELAY, then ucast_solicit unicast probes, then FAILED
            multicast.clear();
            long t1 = now[0];
            if (v6) {
                // an NA for a FAILED entry is ignored (ndisc_recv_na); an NS with its address makes it STALE
                t.naReceived(lan, 0x2001_0db8_0000_0000L, 9, 0x0200_0000_0009L, true, true, false, t1);
                assertThat(t.state6(lan.ifindex(), 0x2001_0db8_0000_0000L, 9)).isEqualTo(NudState.FAILED);
                assertThat(t.nsReceived(lan, 0x2001_0db8_0000_0000L, 9, 0x0200_0000_0009L, true, t1)).isTrue();
            } else {
                t.arpReceived(lan, false, 0x0a000009, 0x0200_0000_0009L, 0x0a000001, 0, false, true, t1);
                assertThat(t.state4(lan.ifindex(), 0x0a000009)).isEqualTo(NudState.REACHABLE);
            }
            long use = t1 + reach + 20 * S;
            run(t, now, use);
            int st = v6 ? t.state6(lan.ifindex(), 0x2001_0db8_0000_0000L, 9) : t.state4(lan.ifindex(), 0x0a000009);
            assertThat(st).isEqualTo(NudState.STALE);
            long mac = v6 ? t.output6(lan, 0x2001_0db8_0000_0000L, 9, pkt, 0, 100, 2, use)
                    : t.output4(lan, 0x0a000009, pkt, 0, 100, 2, use);
            assertThat(mac).isEqualTo(0x0200_0000_0009L);
            run(t, now, use + 100 * S);
            List<Long> probes = new ArrayList<>();
            for (int k = 0; k < ucast; k++) {
                probes.add(use + delay + k * step);
            }
            assertThat(unicast).as("seed %d", seed).isEqualTo(probes);
            assertThat(multicast).isEmpty();
            assertThat(v6 ? t.state6(lan.ifindex(), 0x2001_0db8_0000_0000L, 9) : t.state4(lan.ifindex(), 0x0a000009))
                    .isEqualTo(NudState.FAILED);
        }
    }

    private static void run(NeighbourTable t, long[] now, long to) {
        long d;
        while ((d = t.nextDeadline()) <= to) {
            now[0] = d;
            t.expire(d);
        }
        now[0] = to;
    }
}
