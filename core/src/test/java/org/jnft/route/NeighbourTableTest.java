package org.jnft.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.jnft.packet.PacketBuffer;
import org.junit.jupiter.api.Test;

/** The NUD state machine step by step on a fake clock. */
class NeighbourTableTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final long T0 = 100 * S;
    static final int HOST = 0x0a000102; // 10.0.1.2
    static final int OTHER = 0x0a000103;
    static final long MAC_A = 0x0200_0000_00aaL;
    static final long MAC_B = 0x0200_0000_00bbL;
    static final long H6 = 0x2001_0db8_0000_0001L;
    static final long L6 = 2;

    /** Records every callback as a line; packets are identified by the long at their start. */
    static final class Recorder implements NeighbourTable.Events {
        final List<String> log = new ArrayList<>();
        long now;

        @Override
        public void solicit4(NetDevice dev, int target, long unicastMac, PacketBuffer tail) {
            log.add(at() + " solicit4 " + Inet.format4(target) + " " + to(unicastMac)
                    + (tail == null ? "" : " tail=" + id(tail)));
        }

        @Override
        public void solicit6(NetDevice dev, long hi, long lo, long unicastMac, PacketBuffer tail) {
            log.add(at() + " solicit6 " + Inet.format6(hi, lo) + " " + to(unicastMac)
                    + (tail == null ? "" : " tail=" + id(tail)));
        }

        @Override
        public void release(NetDevice dev, boolean ipv6, PacketBuffer pkt, long mac) {
            assertThat(pkt.offset()).isGreaterThanOrEqualTo(14);
            log.add(at() + " release " + id(pkt) + " " + Inet.formatMac(mac));
        }

        @Override
        public void dropped(NetDevice dev, boolean ipv6, PacketBuffer pkt, int why) {
            log.add(at() + " dropped " + id(pkt) + " " + why);
        }

        String at() {
            long ms = (now - T0) / MS;
            return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
        }

        static String to(long mac) {
            return mac < 0 ? "bcast" : Inet.formatMac(mac);
        }

        static long id(PacketBuffer pkt) {
            return pkt.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, pkt.offset());
        }

        List<String> take() {
            List<String> l = new ArrayList<>(log);
            log.clear();
            return l;
        }
    }

    final Devices devices = Devices.create(List.of(new NetDevice.Builder("lan", 0x0200_0000_0001L)
            .addIpv4(0x0a000101, 24).addIpv6(H6, 1, 64)));
    final NetDevice lan = devices.byName("lan");
    final Recorder rec = new Recorder();
    final MemorySegment pkt = MemorySegment.ofArray(new byte[4096]);

    NeighbourTable table(NeighbourParams v4, NeighbourParams v6) {
        return new NeighbourTable(v4, v6, rec, 64L << 20);
    }

    NeighbourTable table() {
        return table(NeighbourParams.ipv4Defaults(), NeighbourParams.ipv6Defaults());
    }

    /** Fires every timer up to T at its own time, as the router does, then sets the clock to T. */
    void advance(NeighbourTable t, long to) {
        long d;
        while ((d = t.nextDeadline()) <= to) {
            rec.now = d;
            t.expire(d);
        }
        rec.now = to;
    }

    long send4(NeighbourTable t, int addr, long id, int len) {
        pkt.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, id);
        return t.output4(lan, addr, pkt, 0, len, 2, rec.now);
    }

    long send6(NeighbourTable t, long id, int len) {
        pkt.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, id);
        return t.output6(lan, H6, L6, pkt, 0, len, 2, rec.now);
    }

    void reply(NeighbourTable t, long mac) {
        t.arpReceived(lan, false, HOST, mac, 0x0a000101, 0x0200_0000_0001L, false, true, rec.now);
    }

    int state(NeighbourTable t) {
        return t.state4(lan.ifindex(), HOST);
    }

    @Test
    void newResolutionProbesThreeTimesThenFails() {
        NeighbourTable t = table();
        advance(t, T0);
        assertThat(send4(t, HOST, 1, 100)).isEqualTo(NeighbourTable.QUEUED);
        assertThat(rec.take()).containsExactly("0s solicit4 10.0.1.2 bcast tail=1");
        assertThat(state(t)).isEqualTo(NudState.INCOMPLETE);
        assertThat(t.list()).isEqualTo("10.0.1.2 dev lan INCOMPLETE\n");
        advance(t, T0 + 500 * MS);
        assertThat(send4(t, HOST, 2, 100)).isEqualTo(NeighbourTable.QUEUED);
        assertThat(rec.take()).isEmpty(); // no new solicitation for a packet behind INCOMPLETE
        advance(t, T0 + 2999 * MS);
        assertThat(rec.take()).containsExactly("1s solicit4 10.0.1.2 bcast tail=2", "2s solicit4 10.0.1.2 bcast tail=2");
        assertThat(state(t)).isEqualTo(NudState.INCOMPLETE);
        advance(t, T0 + 3 * S);
        assertThat(rec.take()).containsExactly("3s dropped 1 2", "3s dropped 2 2");
        assertThat(state(t)).isEqualTo(NudState.FAILED);
        assertThat(t.queued()).isZero();
        assertThat(t.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(t.list()).isEqualTo("10.0.1.2 dev lan FAILED\n");
    }

    @Test
    void failedRestartsResolutionOnTheNextPacket() {
        NeighbourTable t = table();
        advance(t, T0);
        send4(t, HOST, 1, 100);
        advance(t, T0 + 10 * S);
        rec.take();
        assertThat(send4(t, HOST, 2, 100)).isEqualTo(NeighbourTable.QUEUED);
        assertThat(state(t)).isEqualTo(NudState.INCOMPLETE);
        assertThat(rec.take()).containsExactly("10s solicit4 10.0.1.2 bcast tail=2");
        advance(t, T0 + 10500 * MS);
        reply(t, MAC_A);
        assertThat(rec.take()).containsExactly("10500ms release 2 02:00:00:00:00:aa");
        assertThat(state(t)).isEqualTo(NudState.REACHABLE);
    }

    @Test
    void replyReleasesTheQueueInOrder() {
        NeighbourTable t = table();
        advance(t, T0);
        for (int i = 1; i <= 5; i++) {
            send4(t, HOST, i, 60 + i);
        }
        rec.take();
        advance(t, T0 + 200 * MS);
        reply(t, MAC_A);
        assertThat(rec.take()).containsExactly("200ms release 1 02:00:00:00:00:aa", "200ms release 2 02:00:00:00:00:aa",
                "200ms release 3 02:00:00:00:00:aa", "200ms release 4 02:00:00:00:00:aa",
                "200ms release 5 02:00:00:00:00:aa");
        assertThat(t.queued()).isZero();
        assertThat(send4(t, HOST, 6, 100)).isEqualTo(MAC_A);
        assertThat(t.list()).isEqualTo("10.0.1.2 dev lan lladdr 02:00:00:00:00:aa REACHABLE\n");
        advance(t, T0 + 10 * S);
        assertThat(rec.take()).isEmpty(); // the old retransmission timer is gone
    }

    @Test
    void reachableGoesStaleThenDelayProbeAndBackToReachableOnALateReply() {
        NeighbourTable t = table();
        advance(t, T0);
        send4(t, HOST, 1, 100);
        reply(t, MAC_A);
        rec.take();
        // reachable_time = 30 s exactly; at 30 s the timer finds it still alive and looks again 10 ms later
        advance(t, T0 + 30 * S);
        assertThat(state(t)).isEqualTo(NudState.REACHABLE);
        advance(t, T0 + 30 * S + 10 * MS);
        assertThat(state(t)).isEqualTo(NudState.STALE);
        assertThat(t.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        advance(t, T0 + 40 * S);
        assertThat(send4(t, HOST, 2, 100)).isEqualTo(MAC_A); // STALE: sent to the old MAC, now DELAY
        assertThat(state(t)).isEqualTo(NudState.DELAY);
        assertThat(send4(t, HOST, 3, 100)).isEqualTo(MAC_A);
        advance(t, T0 + 45 * S);
        assertThat(state(t)).isEqualTo(NudState.PROBE);
        assertThat(rec.take()).containsExactly("45s solicit4 10.0.1.2 02:00:00:00:00:aa");
        assertThat(send4(t, HOST, 4, 100)).isEqualTo(MAC_A); // PROBE still sends to the old MAC
        advance(t, T0 + 46500 * MS);
        assertThat(rec.take()).containsExactly("46s solicit4 10.0.1.2 02:00:00:00:00:aa");
        reply(t, MAC_A);
        assertThat(state(t)).isEqualTo(NudState.REACHABLE);
        assertThat(rec.take()).isEmpty();
        advance(t, T0 + 60 * S);
        assertThat(rec.take()).isEmpty();
        assertThat(state(t)).isEqualTo(NudState.REACHABLE);
    }

    @Test
    void unansweredProbesFailAfterThreeUnicastProbes() {
        NeighbourTable t = table();
        advance(t, T0);
        send4(t, HOST, 1, 100);
        reply(t, MAC_A);
        advance(t, T0 + 31 * S);
        rec.take();
        send4(t, HOST, 2, 100);
        advance(t, T0 + 40 * S);
        assertThat(rec.take()).containsExactly("36s solicit4 10.0.1.2 02:00:00:00:00:aa",
                "37s solicit4 10.0.1.2 02:00:00:00:00:aa", "38s solicit4 10.0.1.2 02:00:00:00:00:aa");
        assertThat(state(t)).isEqualTo(NudState.FAILED);
        assertThat(t.mac4(lan.ifindex(), HOST)).isEqualTo(-1);
    }

    @Test
    void reachableUsedRecentlyGoesToDelayDirectly() {
        NeighbourTable t = table();
        advance(t, T0);
        send4(t, HOST, 1, 100);
        reply(t, MAC_A);
        // an ARP request from the host for us at 28 s: same address, STALE asked, REACHABLE kept
        advance(t, T0 + 28 * S);
        t.arpReceived(lan, true, HOST, MAC_A, 0x0a000101, 0, true, false, rec.now);
        assertThat(state(t)).isEqualTo(NudState.REACHABLE);
        advance(t, T0 + 31 * S);
        assertThat(state(t)).isEqualTo(NudState.STALE); // used only at 0 s: STALE, not DELAY
    }

    @Test
    void queueOverflowDropsTheOldestByBytes() {
        int bound = 3 * PendingQueue.truesize(100);
        NeighbourParams p = withQueue(NeighbourParams.ipv4Defaults(), bound);
        NeighbourTable t = table(p, NeighbourParams.ipv6Defaults());
        advance(t, T0);
        send4(t, HOST, 1, 100);
        send4(t, HOST, 2, 100);
        send4(t, HOST, 3, 100);
        rec.take();
        assertThat(t.queuedBytes(false, lan.ifindex(), 0, HOST)).isEqualTo(bound);
        send4(t, HOST, 4, 100);
        assertThat(rec.take()).containsExactly("0s dropped 1 1");
        send4(t, HOST, 5, 250); // needs the room of two
        assertThat(rec.take()).containsExactly("0s dropped 2 1", "0s dropped 3 1");
        assertThat(t.queued4(lan.ifindex(), HOST)).isEqualTo(2);
        assertThat(t.queuedBytes(false, lan.ifindex(), 0, HOST)).isLessThanOrEqualTo(bound);
        send4(t, HOST, 6, 2000); // larger than the bound: queued alone, as Linux does
        assertThat(rec.take()).containsExactly("0s dropped 4 1", "0s dropped 5 1");
        assertThat(t.queued4(lan.ifindex(), HOST)).isEqualTo(1);
        reply(t, MAC_A);
        assertThat(rec.take()).containsExactly("0s release 6 02:00:00:00:00:aa");
    }

    @Test
    void defaultQueueHolds101FullSizeFrames() {
        NeighbourTable t = table();
        advance(t, T0);
        for (int i = 1; i <= 101; i++) {
            send4(t, HOST, i, 1500);
        }
        assertThat(rec.take()).containsExactly("0s solicit4 10.0.1.2 bcast tail=1");
        send4(t, HOST, 102, 1500);
        assertThat(rec.take()).containsExactly("0s dropped 1 1");
        assertThat(t.queued4(lan.ifindex(), HOST)).isEqualTo(101);
    }

    @Test
    void locktimeKeepsTheFirstReplyAndGratuitousArpOverrides() {
        NeighbourTable t = table();
        advance(t, T0);
        send4(t, HOST, 1, 100);
        advance(t, T0 + 100 * MS);
        reply(t, MAC_A);
        advance(t, T0 + 600 * MS);
        reply(t, MAC_B); // within locktime (1 s) of the last update: ignored
        assertThat(t.mac4(lan.ifindex(), HOST)).isEqualTo(MAC_A);
        advance(t, T0 + 1200 * MS);
        reply(t, MAC_B); // after locktime: overrides
        assertThat(t.mac4(lan.ifindex(), HOST)).isEqualTo(MAC_B);
        assertThat(state(t)).isEqualTo(NudState.REACHABLE);
        advance(t, T0 + 1300 * MS);
        // gratuitous ARP request (sip == tip), broadcast: overrides despite locktime, STALE
        t.arpReceived(lan, true, HOST, MAC_A, HOST, 0, false, false, rec.now);
        assertThat(t.mac4(lan.ifindex(), HOST)).isEqualTo(MAC_A);
        assertThat(state(t)).isEqualTo(NudState.STALE);
        // within locktime of that update a gratuitous reply needs tha == sha to override
        advance(t, T0 + 1400 * MS);
        t.arpReceived(lan, false, HOST, MAC_B, HOST, 0, false, false, rec.now);
        assertThat(t.mac4(lan.ifindex(), HOST)).isEqualTo(MAC_A);
        t.arpReceived(lan, false, HOST, MAC_B, HOST, MAC_B, false, false, rec.now);
        assertThat(t.mac4(lan.ifindex(), HOST)).isEqualTo(MAC_B);
        // a broadcast reply asserts no reachability: same address, STALE asked, STALE kept
        advance(t, T0 + 5 * S);
        t.arpReceived(lan, false, HOST, MAC_B, 0x0a000101, 0xffff_ffff_ffffL, false, false, rec.now);
        assertThat(state(t)).isEqualTo(NudState.STALE);
    }

    @Test
    void requestForUsCreatesAStaleEntryAndUnsolicitedRepliesCreateNothing() {
        NeighbourTable t = table();
        advance(t, T0);
        assertThat(t.arpReceived(lan, false, OTHER, MAC_B, 0x0a000101, 0, false, true, rec.now)).isTrue();
        assertThat(t.state4(lan.ifindex(), OTHER)).isEqualTo(-1); // arp_accept 0
        assertThat(t.arpReceived(lan, true, OTHER, MAC_B, 0x0a000199, 0, false, false, rec.now)).isTrue();
        assertThat(t.state4(lan.ifindex(), OTHER)).isEqualTo(-1); // not for us: nothing learned
        assertThat(t.arpReceived(lan, true, HOST, MAC_A, 0x0a000101, 0, true, false, rec.now)).isTrue();
        assertThat(state(t)).isEqualTo(NudState.STALE);
        assertThat(t.list()).isEqualTo("10.0.1.2 dev lan lladdr 02:00:00:00:00:aa STALE\n");
        assertThat(t.arpReceived(lan, true, 0, MAC_B, 0x0a000101, 0, true, false, rec.now)).isTrue(); // DAD probe
        assertThat(t.size(false)).isEqualTo(1);
        advance(t, T0 + S);
        assertThat(send4(t, HOST, 1, 100)).isEqualTo(MAC_A);
        assertThat(state(t)).isEqualTo(NudState.DELAY);
        assertThat(rec.take()).isEmpty();
    }

    @Test
    void aStaleAnswerReleasesTheQueueAndTheFirstPacketMakesItDelay() {
        NeighbourTable t = table();
        advance(t, T0);
        send4(t, HOST, 1, 100);
        send4(t, HOST, 2, 100);
        rec.take();
        advance(t, T0 + 300 * MS);
        // the host asks for us instead of answering: STALE with its address releases the queue
        t.arpReceived(lan, true, HOST, MAC_A, 0x0a000101, 0, true, false, rec.now);
        assertThat(rec.take()).containsExactly("300ms release 1 02:00:00:00:00:aa", "300ms release 2 02:00:00:00:00:aa");
        assertThat(state(t)).isEqualTo(NudState.DELAY);
        advance(t, T0 + 5300 * MS);
        assertThat(state(t)).isEqualTo(NudState.PROBE);
        assertThat(rec.take()).containsExactly("5300ms solicit4 10.0.1.2 02:00:00:00:00:aa");
    }

    @Test
    void permanentEntriesNeverChangeFromTheWire() {
        NeighbourTable t = table();
        t.addPermanent4(lan, HOST, MAC_A);
        advance(t, T0);
        reply(t, MAC_B);
        t.arpReceived(lan, true, HOST, MAC_B, HOST, 0, false, false, rec.now);
        t.arpReceived(lan, true, HOST, MAC_B, 0x0a000101, 0, true, false, rec.now);
        assertThat(send4(t, HOST, 1, 100)).isEqualTo(MAC_A);
        advance(t, T0 + 1000 * S);
        assertThat(send4(t, HOST, 2, 100)).isEqualTo(MAC_A);
        assertThat(rec.take()).isEmpty();
        assertThat(t.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        t.addPermanent6(lan, H6, L6, MAC_B);
        t.naReceived(lan, H6, L6, MAC_A, true, true, true, rec.now);
        assertThat(t.list()).isEqualTo("10.0.1.2 dev lan lladdr 02:00:00:00:00:aa PERMANENT\n"
                + "2001:db8:0:1::2 dev lan lladdr 02:00:00:00:00:bb PERMANENT\n");
    }

    @Test
    void permanentEntriesFromTheNetFile() throws Exception {
        NetConfig cfg = NetFile.parse("link add lan address 02:00:00:00:00:01\n"
                + "addr add 10.0.1.1/24 dev lan\nneigh add 10.0.1.2 lladdr 02:00:00:00:00:aa dev lan\n"
                + "neigh add 2001:db8::2 lladdr 02:00:00:00:00:bb dev lan\n", "t.net");
        NeighbourTable t = new NeighbourTable(rec);
        t.addPermanent(cfg);
        assertThat(t.list()).isEqualTo("10.0.1.2 dev lan lladdr 02:00:00:00:00:aa PERMANENT\n"
                + "2001:db8::2 dev lan lladdr 02:00:00:00:00:bb PERMANENT\n");
    }

    @Test
    void ipv6ResolutionUsesMulticastThenUnicastProbes() {
        NeighbourTable t = table();
        advance(t, T0);
        assertThat(send6(t, 1, 100)).isEqualTo(NeighbourTable.QUEUED);
        advance(t, T0 + 1500 * MS);
        assertThat(rec.take()).containsExactly("0s solicit6 2001:db8:0:1::2 bcast tail=1",
                "1s solicit6 2001:db8:0:1::2 bcast tail=1");
        t.naReceived(lan, H6, L6, MAC_A, true, true, true, rec.now);
        assertThat(rec.take()).containsExactly("1500ms release 1 02:00:00:00:00:aa");
        assertThat(t.list()).isEqualTo("2001:db8:0:1::2 dev lan lladdr 02:00:00:00:00:aa router REACHABLE\n");
        advance(t, T0 + 40 * S);
        assertThat(send6(t, 2, 100)).isEqualTo(MAC_A);
        advance(t, T0 + 45 * S);
        assertThat(rec.take()).containsExactly("45s solicit6 2001:db8:0:1::2 02:00:00:00:00:aa");
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.PROBE);
    }

    @Test
    void neighbourAdvertisementFlags() {
        NeighbourTable t = table();
        advance(t, T0);
        t.naReceived(lan, H6, L6, MAC_A, false, true, false, rec.now);
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(-1); // untracked NAs create nothing
        send6(t, 1, 100);
        t.naReceived(lan, H6, L6, MAC_A, true, false, false, rec.now);
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.REACHABLE);
        // O=0 with another address on a REACHABLE entry: keep the address, become STALE
        t.naReceived(lan, H6, L6, MAC_B, true, false, false, rec.now);
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.STALE);
        assertThat(t.mac6(lan.ifindex(), H6, L6)).isEqualTo(MAC_A);
        // O=0 with another address on a STALE entry: ignored
        t.naReceived(lan, H6, L6, MAC_B, false, false, true, rec.now);
        assertThat(t.mac6(lan.ifindex(), H6, L6)).isEqualTo(MAC_A);
        assertThat(t.list()).doesNotContain("router");
        // unsolicited with O=1: new address, STALE
        t.naReceived(lan, H6, L6, MAC_B, false, true, true, rec.now);
        assertThat(t.mac6(lan.ifindex(), H6, L6)).isEqualTo(MAC_B);
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.STALE);
        assertThat(t.list()).contains("router STALE");
        // a solicited NA without a target address option confirms the known one
        t.naReceived(lan, H6, L6, -1, true, false, true, rec.now);
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.REACHABLE);
        assertThat(t.mac6(lan.ifindex(), H6, L6)).isEqualTo(MAC_B);
    }

    @Test
    void advertisementsLeaveFailedEntriesAlone() {
        NeighbourTable t = table();
        advance(t, T0);
        send6(t, 1, 100);
        advance(t, T0 + 3 * S);
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.FAILED);
        t.naReceived(lan, H6, L6, MAC_A, true, true, false, rec.now);
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.FAILED);
        send4(t, HOST, 2, 100);
        advance(t, T0 + 6 * S);
        assertThat(state(t)).isEqualTo(NudState.FAILED);
        rec.take();
        reply(t, MAC_A); // whereas an ARP reply revives a FAILED IPv4 entry
        assertThat(state(t)).isEqualTo(NudState.REACHABLE);
        assertThat(rec.take()).isEmpty(); // its queue died with the failure
    }

    @Test
    void neighbourSolicitations() {
        NeighbourTable t = table();
        advance(t, T0);
        // multicast NS without source address option: nothing to learn, no entry, no answer
        assertThat(t.nsReceived(lan, H6, L6, -1, true, rec.now)).isFalse();
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(-1);
        // unicast NS without the option: an entry without address (NONE, hidden), answered
        assertThat(t.nsReceived(lan, H6, L6, -1, false, rec.now)).isTrue();
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.NONE);
        assertThat(t.list()).isEmpty();
        // with the option: STALE
        assertThat(t.nsReceived(lan, H6, L6, MAC_A, true, rec.now)).isTrue();
        assertThat(t.list()).isEqualTo("2001:db8:0:1::2 dev lan lladdr 02:00:00:00:00:aa STALE\n");
        // answering it resolves through the entry: DELAY, then PROBE
        assertThat(send6(t, 1, 100)).isEqualTo(MAC_A);
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.DELAY);
        // a router solicitation with another address overrides it
        t.rsReceived(lan, H6, L6, MAC_B, rec.now);
        assertThat(t.mac6(lan.ifindex(), H6, L6)).isEqualTo(MAC_B);
    }

    @Test
    void noMulticastProbesMeansImmediateFailure() {
        NeighbourParams d = NeighbourParams.ipv4Defaults();
        NeighbourParams p = new NeighbourParams(d.baseReachableTime(), d.retransTime(), d.delayFirstProbeTime(),
                d.gcStaleTime(), d.locktime(), 0, 3, 0, 0, d.unresQlenBytes(), 128, 512, 1024);
        NeighbourTable t = table(p, NeighbourParams.ipv6Defaults());
        advance(t, T0);
        assertThat(send4(t, HOST, 1, 100)).isEqualTo(NeighbourTable.DROP_FAILED);
        assertThat(state(t)).isEqualTo(NudState.FAILED);
        assertThat(rec.take()).isEmpty();
    }

    @Test
    void tableFullAndForcedGc() {
        NeighbourParams d = NeighbourParams.ipv4Defaults();
        NeighbourParams p = new NeighbourParams(d.baseReachableTime(), d.retransTime(), d.delayFirstProbeTime(),
                d.gcStaleTime(), d.locktime(), 3, 3, 0, 0, d.unresQlenBytes(), 1, 2, 2);
        NeighbourTable t = table(p, NeighbourParams.ipv6Defaults());
        advance(t, T0);
        assertThat(send4(t, 0x0a000110, 1, 100)).isEqualTo(NeighbourTable.QUEUED);
        assertThat(send4(t, 0x0a000111, 2, 100)).isEqualTo(NeighbourTable.QUEUED);
        // both INCOMPLETE (timers running): nothing to collect
        assertThat(send4(t, 0x0a000112, 3, 100)).isEqualTo(NeighbourTable.DROP_CREATEFAIL);
        advance(t, T0 + 4 * S); // both FAILED
        rec.take();
        assertThat(send4(t, 0x0a000112, 3, 100)).isEqualTo(NeighbourTable.QUEUED);
        // gc_entries (3 with the new one) - gc_thresh2 = 1 entry collected, the oldest
        assertThat(t.state4(lan.ifindex(), 0x0a000110)).isEqualTo(-1);
        assertThat(t.state4(lan.ifindex(), 0x0a000111)).isEqualTo(NudState.FAILED);
        assertThat(t.size(false)).isEqualTo(2);
    }

    @Test
    void periodicGcRemovesUnusedStaleEntries() {
        NeighbourParams d = NeighbourParams.ipv4Defaults();
        NeighbourParams p = new NeighbourParams(d.baseReachableTime(), d.retransTime(), d.delayFirstProbeTime(),
                d.gcStaleTime(), d.locktime(), 3, 3, 0, 0, d.unresQlenBytes(), 1, 512, 1024);
        NeighbourTable t = table(p, NeighbourParams.ipv6Defaults());
        advance(t, T0);
        t.arpReceived(lan, true, HOST, MAC_A, 0x0a000101, 0, true, false, rec.now);
        t.addPermanent4(lan, OTHER, MAC_B);
        // GC runs at 30 s, 45 s, 60 s, 75 s: the entry was last used at 0 s, gc_stale_time is 60 s
        advance(t, T0 + 59 * S);
        assertThat(state(t)).isEqualTo(NudState.STALE);
        advance(t, T0 + 60 * S);
        assertThat(state(t)).isEqualTo(-1);
        assertThat(t.state4(lan.ifindex(), OTHER)).isEqualTo(NudState.PERMANENT);
    }

    @Test
    void sysctlDefaultsGiveLinuxDefaults() {
        for (boolean v6 : new boolean[] {false, true}) {
            java.util.Map<String, Long> m = new java.util.HashMap<>();
            for (NeighbourParams.Knob k : NeighbourParams.knobs(v6)) {
                m.put(k.key(), k.defaultValue());
            }
            NeighbourParams p = NeighbourParams.fromSysctl(v6, m::get);
            assertThat(p).isEqualTo(v6 ? NeighbourParams.ipv6Defaults() : NeighbourParams.ipv4Defaults());
            m.put(NeighbourParams.prefix(v6) + "retrans_time", 50L);
            m.put(NeighbourParams.prefix(v6) + "unres_qlen", 10L);
            m.put(NeighbourParams.prefix(v6) + "base_reachable_time_ms", 1500L);
            p = NeighbourParams.fromSysctl(v6, m::get);
            assertThat(p.retransTime()).isEqualTo(500 * MS);
            assertThat(p.unresQlenBytes()).isEqualTo(20900);
            assertThat(p.baseReachableTime()).isEqualTo(1500 * MS);
        }
    }

    @Test
    void aNewConfirmationExtendsReachable() {
        NeighbourTable t = table();
        advance(t, T0);
        send4(t, HOST, 1, 100);
        reply(t, MAC_A);
        advance(t, T0 + 20 * S);
        reply(t, MAC_A); // confirmed again: reachable until 50 s
        advance(t, T0 + 45 * S);
        assertThat(state(t)).isEqualTo(NudState.REACHABLE);
        advance(t, T0 + 50 * S + 10 * MS);
        assertThat(state(t)).isEqualTo(NudState.STALE);
    }

    @Test
    void ipv6FailureReportsEveryQueuedPacketAndPurgeEmptiesQueues() {
        NeighbourTable t = table();
        advance(t, T0);
        send6(t, 1, 1280);
        send6(t, 2, 1280);
        send4(t, HOST, 3, 100);
        advance(t, T0 + 2 * S);
        rec.take();
        t.purgeQueues();
        assertThat(rec.take()).containsExactlyInAnyOrder("2s dropped 3 3", "2s dropped 1 3", "2s dropped 2 3");
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.INCOMPLETE); // entries stay
        send6(t, 4, 1280);
        advance(t, T0 + 3 * S);
        assertThat(rec.take()).containsExactly("3s dropped 4 2");
        assertThat(t.state6(lan.ifindex(), H6, L6)).isEqualTo(NudState.FAILED);
    }

    @Test
    void entriesAreKeyedByDevice() {
        Devices two = Devices.create(List.of(new NetDevice.Builder("lan", 0x0200_0000_0001L),
                new NetDevice.Builder("wan", 0x0200_0000_0002L)));
        NetDevice a = two.byName("lan");
        NetDevice b = two.byName("wan");
        NeighbourTable t = table();
        advance(t, T0);
        pkt.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 1);
        t.output4(a, HOST, pkt, 0, 100, 2, rec.now);
        t.arpReceived(b, false, HOST, MAC_B, 0x0a000101, 0, false, true, rec.now); // wan has no entry
        assertThat(t.state4(a.ifindex(), HOST)).isEqualTo(NudState.INCOMPLETE);
        assertThat(t.state4(b.ifindex(), HOST)).isEqualTo(-1);
        t.arpReceived(a, false, HOST, MAC_A, 0x0a000101, 0, false, true, rec.now);
        assertThat(t.mac4(a.ifindex(), HOST)).isEqualTo(MAC_A);
    }

    static NeighbourParams withQueue(NeighbourParams d, int bytes) {
        return new NeighbourParams(d.baseReachableTime(), d.retransTime(), d.delayFirstProbeTime(), d.gcStaleTime(),
                d.locktime(), d.mcastSolicit(), d.ucastSolicit(), d.appSolicit(), d.mcastResolicit(), bytes,
                d.gcThresh1(), d.gcThresh2(), d.gcThresh3());
    }
}
