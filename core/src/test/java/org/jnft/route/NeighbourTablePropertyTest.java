package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jnft.packet.PacketBuffer;
import org.junit.jupiter.api.Test;

/**
 * Random operations (packets, ARP and NDP messages, time) against a reference model of the queues: per
 * neighbour a FIFO of the packets the table said it kept. Every release or drop must be the oldest packet
 * of its neighbour's FIFO (so each queued packet leaves exactly once, in order), released packets go to
 * the entry's current address and arrive intact, and no queue ever holds more than unres_qlen_bytes
 * (unless it holds a single packet, as Linux allows).
 */
class NeighbourTablePropertyTest {
    static final long S = 1_000_000_000L;
    static final long[] MACS = {0x0200_0000_00a1L, 0x0200_0000_00a2L, 0x0200_0000_00a3L};

    record Nb(NetDevice dev, boolean v6, int addr, long hi, long lo) {
    }

    record Queued(long id, int len) {
    }

    @Test
    void randomOperations() {
        long base = 0x5eed_0001L;
        for (int run = 0; run < 40; run++) {
            long seed = base + run;
            try {
                run(seed, 1500);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private void run(long seed, int steps) {
        Random rnd = new Random(seed);
        Devices devices = Devices.create(List.of(new NetDevice.Builder("lan", 0x0200_0000_0001L),
                new NetDevice.Builder("wan", 0x0200_0000_0002L)));
        List<Nb> nbs = new ArrayList<>();
        for (NetDevice d : devices.links()) {
            for (int k = 0; k < 3; k++) {
                nbs.add(new Nb(d, false, 0x0a000002 + k, 0, 0));
                nbs.add(new Nb(d, true, 0, 0x2001_0db8_0000_0000L, 2 + k));
            }
        }
        NeighbourParams p4 = randomParams(rnd, false);
        NeighbourParams p6 = randomParams(rnd, true);
        Map<Long, Nb> owner = new HashMap<>();
        Map<Nb, ArrayDeque<Queued>> model = new HashMap<>();
        for (Nb nb : nbs) {
            model.put(nb, new ArrayDeque<>());
        }
        long[] counts = new long[3]; // queued, released, dropped
        NeighbourTable[] holder = new NeighbourTable[1];
        NeighbourTable.Events events = new NeighbourTable.Events() {
            @Override
            public void solicit4(NetDevice dev, int target, long unicastMac, PacketBuffer tail) {
            }

            @Override
            public void solicit6(NetDevice dev, long hi, long lo, long unicastMac, PacketBuffer tail) {
            }

            @Override
            public void release(NetDevice dev, boolean ipv6, PacketBuffer pkt, long mac) {
                Nb nb = leave(pkt);
                assertThat(mac).as("released to the entry's address").isEqualTo(mac(holder[0], nb));
                counts[1]++;
            }

            @Override
            public void dropped(NetDevice dev, boolean ipv6, PacketBuffer pkt, int why) {
                leave(pkt);
                assertThat(why).isBetween(1, 3);
                counts[2]++;
            }

            private Nb leave(PacketBuffer pkt) {
                long id = pkt.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, pkt.offset());
                Nb nb = owner.get(id);
                assertThat(nb).as("packet %d was queued", id).isNotNull();
                Queued head = model.get(nb).pollFirst();
                assertThat(head).as("packet %d leaves its queue once", id).isNotNull();
                assertThat(head.id()).as("packets leave their queue oldest first").isEqualTo(id);
                assertThat(pkt.length()).isEqualTo(head.len());
                assertThat(pkt.offset()).isGreaterThanOrEqualTo(14);
                assertThat(pkt.ifindex).as("the drop device travels with the packet").isEqualTo(7);
                owner.remove(id);
                return nb;
            }
        };
        NeighbourTable t = new NeighbourTable(p4, p6, events, rnd.nextBoolean() ? 64L << 20 : 1L << 16);
        holder[0] = t;
        MemorySegment buf = MemorySegment.ofArray(new byte[10_000]);
        long now = 1000 * S;
        long nextId = 1;
        for (int step = 0; step < steps; step++) {
            Nb nb = nbs.get(rnd.nextInt(nbs.size()));
            long lladdr = MACS[rnd.nextInt(MACS.length)];
            int op = rnd.nextInt(100);
            if (op < 45) {
                int len = 20 + rnd.nextInt(rnd.nextInt(10) == 0 ? 9000 : 1500);
                long id = nextId++;
                buf.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, id);
                owner.put(id, nb);
                long r = nb.v6() ? t.output6(nb.dev(), nb.hi(), nb.lo(), buf, 0, len, 7, now)
                        : t.output4(nb.dev(), nb.addr(), buf, 0, len, 7, now);
                if (r == NeighbourTable.QUEUED) {
                    model.get(nb).addLast(new Queued(id, len));
                    counts[0]++;
                } else {
                    owner.remove(id);
                    if (r >= 0) {
                        assertThat(r).isEqualTo(mac(t, nb));
                    } else {
                        assertThat(r).isIn(NeighbourTable.DROP_FAILED, NeighbourTable.DROP_CREATEFAIL,
                                NeighbourTable.DROP_NOBUF);
                    }
                }
            } else if (op < 65) {
                if (nb.v6()) {
                    switch (rnd.nextInt(3)) {
                        case 0 -> t.naReceived(nb.dev(), nb.hi(), nb.lo(), rnd.nextInt(5) == 0 ? -1 : lladdr,
                                rnd.nextBoolean(), rnd.nextBoolean(), rnd.nextBoolean(), now);
                        case 1 -> t.nsReceived(nb.dev(), nb.hi(), nb.lo(), rnd.nextInt(3) == 0 ? -1 : lladdr,
                                rnd.nextBoolean(), now);
                        default -> t.rsReceived(nb.dev(), nb.hi(), nb.lo(), lladdr, now);
                    }
                } else {
                    boolean request = rnd.nextBoolean();
                    int tip = rnd.nextInt(4) == 0 ? nb.addr() : 0x0a000001;
                    t.arpReceived(nb.dev(), request, nb.addr(), lladdr, tip, rnd.nextBoolean() ? lladdr : 0,
                            request && rnd.nextBoolean(), rnd.nextBoolean(), now);
                }
            } else {
                long dt = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(1000) * 1_000_000L;
                    case 1 -> rnd.nextInt(4) * S;
                    case 2 -> 0;
                    default -> rnd.nextInt(40) * S;
                };
                long to = now + dt;
                long d;
                while ((d = t.nextDeadline()) <= to) {
                    assertThat(d).as("timers never run in the past").isGreaterThanOrEqualTo(now);
                    now = d;
                    t.expire(d);
                }
                now = to;
            }
            // invariants after every step
            for (Nb n : nbs) {
                NeighbourParams p = n.v6() ? p6 : p4;
                ArrayDeque<Queued> q = model.get(n);
                int state = n.v6() ? t.state6(n.dev().ifindex(), n.hi(), n.lo())
                        : t.state4(n.dev().ifindex(), n.addr());
                assertThat(n.v6() ? t.queued6(n.dev().ifindex(), n.hi(), n.lo())
                        : t.queued4(n.dev().ifindex(), n.addr())).isEqualTo(q.size());
                long bytes = t.queuedBytes(n.v6(), n.dev().ifindex(), n.hi(), n.v6() ? n.lo() : n.addr() & 0xFFFF_FFFFL);
                long modelBytes = q.stream().mapToLong(x -> PendingQueue.truesize(x.len())).sum();
                assertThat(bytes).isEqualTo(modelBytes);
                if (q.size() > 1) {
                    assertThat(bytes).as("queue within unres_qlen_bytes").isLessThanOrEqualTo(p.unresQlenBytes());
                }
                if (!q.isEmpty()) {
                    assertThat(state).as("only INCOMPLETE entries queue").isEqualTo(NudState.INCOMPLETE);
                }
            }
            assertThat(t.size(false)).isLessThanOrEqualTo(p4.gcThresh3());
            assertThat(t.size(true)).isLessThanOrEqualTo(p6.gcThresh3());
        }
        t.purgeQueues();
        for (ArrayDeque<Queued> q : model.values()) {
            assertThat(q).isEmpty();
        }
        assertThat(owner).isEmpty();
        assertThat(counts[1] + counts[2]).isEqualTo(counts[0]);
        assertThat(t.queued()).isZero();
    }

    static long mac(NeighbourTable t, Nb nb) {
        return nb.v6() ? t.mac6(nb.dev().ifindex(), nb.hi(), nb.lo()) : t.mac4(nb.dev().ifindex(), nb.addr());
    }

    static NeighbourParams randomParams(Random rnd, boolean v6) {
        NeighbourParams d = v6 ? NeighbourParams.ipv6Defaults() : NeighbourParams.ipv4Defaults();
        int[] queues = {d.unresQlenBytes(), 3000, 12_000, 0, 2090 * 3};
        int t3 = rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(4) : d.gcThresh3();
        int t2 = Math.min(t3, rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(4) : d.gcThresh2());
        int t1 = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : d.gcThresh1();
        return new NeighbourParams(
                rnd.nextBoolean() ? d.baseReachableTime() : (1 + rnd.nextInt(10)) * S,
                rnd.nextBoolean() ? d.retransTime() : rnd.nextInt(2000) * 1_000_000L,
                rnd.nextBoolean() ? d.delayFirstProbeTime() : rnd.nextInt(6) * S,
                rnd.nextBoolean() ? d.gcStaleTime() : (1 + rnd.nextInt(60)) * S,
                rnd.nextBoolean() ? d.locktime() : rnd.nextInt(2000) * 1_000_000L,
                rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt(3), rnd.nextInt(4), rnd.nextInt(2), rnd.nextInt(2),
                queues[rnd.nextInt(queues.length)], t1, t2, t3);
    }
}
