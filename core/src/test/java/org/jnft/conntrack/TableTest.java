package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtConst.*;
import static org.jnft.conntrack.CtHarness.*;

import java.util.Random;
import org.jnft.packet.PacketBuilder;
import org.junit.jupiter.api.Test;

class TableTest {

    static byte[] syn(int src, int sport) {
        return e().ipv4(src, v4("198.51.100.20")).tcp(sport, 80, SYN, 1, 0).build();
    }

    @Test
    void synFloodEarlyDropsWhileEstablishedConnectionsKeepWorking() {
        int max = 64;
        CtHarness h = new CtHarness(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 16)
                .set("net.netfilter.nf_conntrack_max", max));
        // 8 established, assured connections
        for (int i = 0; i < 8; i++) {
            h.cp = 20000 + i;
            h.handshake();
            assertThat(h.lookupTcp().isAssured()).isTrue();
        }
        // a SYN flood from random sources: the table stays at max, new SYNs evict unassured ones
        Random r = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            if (h.send(syn(0x0a000000 | r.nextInt(1 << 24), 1024 + r.nextInt(60000))) == STATE_NEW && h.verdict) {
                accepted++;
            }
            assertThat(h.ct.count()).isLessThanOrEqualTo(max);
        }
        assertThat(h.ct.stats.earlyDrop).isGreaterThan(0);
        assertThat(accepted).isGreaterThan(900);
        // the established connections are untouched and keep working
        for (int i = 0; i < 8; i++) {
            h.cp = 20000 + i;
            assertThat(h.send(h.tcpOrig(ACK | PSH, 1001, 5001, 10))).isEqualTo(STATE_ESTABLISHED);
            assertThat(h.send(h.tcpReply(ACK, 5001, 1011, 0))).isEqualTo(STATE_ESTABLISHED);
        }
        assertThat(h.ct.stats.drop).isZero();
    }

    @Test
    void fullOfAssuredEntriesDropsAndCounts() {
        CtHarness h = new CtHarness(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 4)
                .set("net.netfilter.nf_conntrack_max", 4));
        for (int i = 0; i < 4; i++) {
            h.cp = 30000 + i;
            h.handshake();
        }
        assertThat(h.ct.count()).isEqualTo(4);
        h.send(syn(v4("10.0.0.99"), 1234));
        assertThat(h.verdict).isFalse(); // NF_DROP: the pipeline counts NETFILTER_DROP
        assertThat(h.ct.stats.drop).isEqualTo(1);
        assertThat(h.ct.count()).isEqualTo(4);
        // the next GC evicts nothing assured-and-open; established traffic still works
        h.ct.expire(h.now);
        h.cp = 30000;
        assertThat(h.send(h.tcpOrig(ACK, 1001, 5001, 0))).isEqualTo(STATE_ESTABLISHED);
    }

    @Test
    void unconfirmedEntriesCountAndAreFreedOnRelease() {
        CtHarness h = new CtHarness();
        h.load(syn(v4("10.0.0.1"), 1000));
        h.pc.clear();
        h.ct.in(h.seg, h.pi, HOOK_PRE_ROUTING, h.now, h.pc);
        assertThat(h.ct.count()).isEqualTo(1);
        assertThat(h.ct.size()).isZero();
        h.ct.release(h.pc); // dropped by a rule before confirmation
        assertThat(h.ct.count()).isZero();
        assertThat(h.ct.list(h.now)).isEmpty();
    }

    @Test
    void expiryAndNextDeadline() {
        CtHarness h = new CtHarness();
        assertThat(h.ct.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        h.send(e().ipv4(v4("10.0.0.1"), v4("10.0.0.2")).udp(1, 2).build()); // 30 s
        h.send(e().ipv4(v4("10.0.0.1"), v4("10.0.0.2")).icmpEcho(true, 1, 1).build()); // 30 s
        h.advance(10 * S);
        h.send(e().ipv4(v4("10.0.0.1"), v4("10.0.0.2")).ipProto(99).build()); // 600 s
        assertThat(h.ct.nextDeadline()).isEqualTo(h.now + 20 * S);
        h.advance(19 * S);
        assertThat(h.ct.expire(h.now)).isZero();
        h.advance(S);
        assertThat(h.ct.expire(h.now)).isEqualTo(2);
        assertThat(h.ct.nextDeadline()).isEqualTo(h.now + 580 * S);
        assertThat(h.ct.size()).isEqualTo(1);
        assertThat(h.ct.count()).isEqualTo(1);
        h.advance(580 * S);
        assertThat(h.ct.expire(h.now)).isEqualTo(1);
        assertThat(h.ct.count()).isZero();
    }

    @Test
    void entriesAreRecycled() {
        CtHarness h = new CtHarness();
        h.send(e().ipv4(v4("10.0.0.1"), v4("10.0.0.2")).udp(1, 2).build());
        CtEntry first = h.entry;
        h.advance(31 * S);
        h.ct.expire(h.now);
        h.send(e().ipv4(v4("10.0.0.3"), v4("10.0.0.4")).tcp(5, 6, SYN, 1, 0).build());
        assertThat(h.entry).isSameAs(first);
        assertThat(h.entry.tcpState()).isEqualTo(TCP_SYN_SENT);
        assertThat(h.entry.orig.proto).isEqualTo(6);
        assertThat(h.entry.isAssured()).isFalse();
    }

    @Test
    void flowtableReferenceKeepsADeadEntry() {
        CtHarness h = new CtHarness();
        h.send(e().ipv4(v4("10.0.0.1"), v4("10.0.0.2")).udp(1, 2).build());
        CtEntry e = h.entry;
        h.ct.get(e);
        h.advance(31 * S);
        h.ct.expire(h.now);
        assertThat(e.isDying()).isTrue();
        h.send(e().ipv4(v4("10.0.0.3"), v4("10.0.0.4")).udp(1, 2).build());
        assertThat(h.entry).isNotSameAs(e);
        h.ct.put(e);
        h.advance(31 * S);
        h.ct.expire(h.now);
        h.send(e().ipv4(v4("10.0.0.5"), v4("10.0.0.6")).udp(1, 2).build());
        assertThat(h.entry.orig.srcV4()).isEqualTo(v4("10.0.0.5"));
    }

    /** Random packets never throw, and the counters stay consistent (seeded; the seed is in the message). */
    @Test
    void randomTrafficKeepsTheTableConsistent() {
        long seed = 20261125L;
        Random r = new Random(seed);
        CtHarness h = new CtHarness(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 32)
                .set("net.netfilter.nf_conntrack_max", 200));
        int[] hosts = {v4("10.0.0.1"), v4("10.0.0.2"), v4("10.0.0.3"), v4("192.0.2.9")};
        int[] flagsChoice = {SYN, SYN | ACK, ACK, ACK | PSH, FIN | ACK, RST, RST | ACK, SYN | FIN, 0};
        for (int i = 0; i < 20000; i++) {
            int a = hosts[r.nextInt(hosts.length)];
            int b = hosts[r.nextInt(hosts.length)];
            PacketBuilder pb = e().ipv4(a, b);
            int kind = r.nextInt(4);
            byte[] f = switch (kind) {
                case 0 -> pb.tcp(1000 + r.nextInt(4), 80 + r.nextInt(2), flagsChoice[r.nextInt(flagsChoice.length)],
                        r.nextInt(3) * 1000, r.nextInt(3) * 1000).payloadLength(r.nextInt(3) * 10).build();
                case 1 -> pb.udp(1000 + r.nextInt(4), 53).payloadLength(r.nextInt(20)).build();
                case 2 -> pb.icmpEcho(r.nextBoolean(), r.nextInt(3), 1).build();
                default -> pb.ipProto(r.nextInt(3) + 100).payloadLength(4).build();
            };
            h.advance(r.nextInt(5) * S / 2);
            try {
                h.send(f);
                if (i % 100 == 0) {
                    h.ct.expire(h.now);
                }
            } catch (RuntimeException ex) {
                throw new AssertionError("seed " + seed + " packet " + i, ex);
            }
            assertThat(h.ct.count()).as("seed %d packet %d", seed, i).isEqualTo(h.ct.size());
            assertThat(h.ct.count()).isLessThanOrEqualTo(200);
        }
    }
}
