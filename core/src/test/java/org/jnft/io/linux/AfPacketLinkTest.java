package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AF_PACKET links on a veth pair (v0, v1) inside a throw-away namespace. */
class AfPacketLinkTest {
    static final int ETYPE = 0x88b5; // IEEE local experimental: the kernel leaves it alone
    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static Netns nets;
    static String ns;

    @BeforeAll
    static void setUp() throws Exception {
        nets = new Netns();
        ns = nets.add("pair");
        nets.ip(ns, "link add v0 type veth peer name v1");
        nets.ip(ns, "link set v0 mtu 9000 up");
        nets.ip(ns, "link set v1 mtu 9000 up");
    }

    @AfterAll
    static void tearDown() {
        if (nets != null) {
            nets.close();
        }
    }

    static AfPacketLink open(String dev) throws Exception {
        return nets.in(ns, () -> AfPacketLink.open(dev));
    }

    /** A test frame: dst 02::02, src 02::01, EtherType 0x88b5, a 4-byte sequence number, then a pattern. */
    static byte[] frame(int seq, int len) {
        byte[] b = new byte[len];
        byte[] hdr = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, (byte) 0x88, (byte) 0xb5};
        System.arraycopy(hdr, 0, b, 0, 14);
        b[14] = (byte) (seq >>> 24);
        b[15] = (byte) (seq >>> 16);
        b[16] = (byte) (seq >>> 8);
        b[17] = (byte) seq;
        for (int i = 18; i < len; i++) {
            b[i] = (byte) (i * 7 + seq);
        }
        return b;
    }

    /** Test frames received on {@code link} (EtherType 0x88b5, possibly behind a VLAN tag) until n or timeout. */
    static List<byte[]> collect(AfPacketLink link, int n, long millis) throws Exception {
        List<byte[]> got = new ArrayList<>();
        long end = System.nanoTime() + millis * 1_000_000L;
        while (got.size() < n && System.nanoTime() < end) {
            link.receive(f -> {
                int et = f.segment().get(BE16, f.offset() + 12) & 0xffff;
                int et2 = f.length() >= 18 ? f.segment().get(BE16, f.offset() + 16) & 0xffff : 0;
                if (et == ETYPE || (et == 0x8100 && et2 == ETYPE)) {
                    assertThat(f.truncated()).isFalse();
                    got.add(f.segment().asSlice(f.offset(), f.length()).toArray(ValueLayout.JAVA_BYTE));
                }
            }, 20);
        }
        return got;
    }

    @Test
    void framesSentOnOneEndArriveWholeOnTheOther() throws Exception {
        try (AfPacketLink a = open("v0"); AfPacketLink b = open("v1"); Arena arena = Arena.ofConfined()) {
            assertThat(a.ifindex()).isPositive();
            List<byte[]> sent = new ArrayList<>();
            MemorySegment buf = arena.allocate(9100);
            int[] lengths = {60, 64, 100, 1514, 1515, 4000, 9014};
            for (int i = 0; i < 140; i++) {
                byte[] f = frame(i, lengths[i % lengths.length]);
                sent.add(f);
                MemorySegment.copy(f, 0, buf, ValueLayout.JAVA_BYTE, 0, f.length);
                assertThat(b.send(buf, 0, f.length)).isTrue();
            }
            b.flush();
            assertThat(b.txFrames()).isEqualTo(140);
            assertThat(b.txDropped()).isZero();
            List<byte[]> got = collect(a, 140, 3000);
            assertThat(got).hasSize(140);
            for (int i = 0; i < 140; i++) {
                assertThat(got.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
            }
            // the sender does not get its own frames back
            assertThat(collect(b, 1, 150)).isEmpty();
        }
    }

    @Test
    void ownTransmittedFramesAreNotReceivedBack() throws Exception {
        try (AfPacketLink a = open("v0"); AfPacketLink peer = open("v1"); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(100);
            for (int i = 0; i < 50; i++) {
                MemorySegment.copy(frame(i, 100), 0, buf, ValueLayout.JAVA_BYTE, 0, 100);
                a.send(buf, 0, 100);
            }
            a.flush();
            assertThat(collect(peer, 50, 3000)).hasSize(50);
            assertThat(collect(a, 1, 200)).isEmpty();
        }
    }

    @Test
    void timestampsAndMetadata() throws Exception {
        try (AfPacketLink a = open("v0"); AfPacketLink b = open("v1"); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(200);
            MemorySegment.copy(frame(7, 200), 0, buf, ValueLayout.JAVA_BYTE, 0, 200);
            long before = System.currentTimeMillis() * 1_000_000L;
            b.send(buf, 0, 200);
            b.flush();
            long[] ts = new long[1];
            int[] type = {-1};
            int[] ifi = {0};
            long end = System.nanoTime() + 3_000_000_000L;
            while (ts[0] == 0 && System.nanoTime() < end) {
                a.receive(f -> {
                    if ((f.segment().get(BE16, f.offset() + 12) & 0xffff) == ETYPE) {
                        ts[0] = f.timestampNanos();
                        type[0] = f.pktType();
                        ifi[0] = f.ifindex();
                        assertThat(f.vnet().isGso()).isFalse();
                    }
                }, 20);
            }
            assertThat(ts[0]).isBetween(before - 1_000_000_000L, System.currentTimeMillis() * 1_000_000L + 1_000_000_000L);
            assertThat(type[0]).isEqualTo(RxFrame.PACKET_OTHERHOST); // promiscuous: 02::02 is not v0's MAC
            assertThat(ifi[0]).isEqualTo(a.ifindex());
        }
    }

    @Test
    void vlanTagStrippedByTheKernelIsPutBack() throws Exception {
        try (AfPacketLink a = open("v0"); AfPacketLink b = open("v1"); Arena arena = Arena.ofConfined()) {
            byte[] plain = frame(3, 120);
            byte[] tagged = new byte[124];
            System.arraycopy(plain, 0, tagged, 0, 12);
            tagged[12] = (byte) 0x81;
            tagged[13] = 0;
            tagged[14] = (byte) 0x20; // PCP 1, VID 0x064 = 100
            tagged[15] = (byte) 0x64;
            System.arraycopy(plain, 12, tagged, 16, 108);
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, tagged);
            b.send(buf, 0, tagged.length);
            b.flush();
            List<byte[]> got = new ArrayList<>();
            int[] tci = {-2};
            long end = System.nanoTime() + 3_000_000_000L;
            while (got.isEmpty() && System.nanoTime() < end) {
                a.receive(f -> {
                    if ((f.segment().get(BE16, f.offset() + 16) & 0xffff) == ETYPE) {
                        tci[0] = f.vlanTci();
                        got.add(f.segment().asSlice(f.offset(), f.length()).toArray(ValueLayout.JAVA_BYTE));
                    }
                }, 20);
            }
            assertThat(got).hasSize(1);
            assertThat(tci[0]).as("the kernel had stripped the tag (VLAN acceleration)").isEqualTo(0x2064);
            assertThat(HexFormat.of().formatHex(got.get(0))).isEqualTo(HexFormat.of().formatHex(tagged));
        }
    }

    @Test
    void framesFromScapyArriveAsBuilt() throws Exception {
        try (AfPacketLink a = open("v0")) {
            String script = "from scapy.all import *\n"
                    + "p = Ether(src='02:00:00:00:00:11', dst='02:00:00:00:00:22')/IP(src='192.0.2.1', dst='192.0.2.2', ttl=9)"
                    + "/UDP(sport=1234, dport=5678)/Raw(b'jnft-live-test' * 20)\n"
                    + "sendp(p, iface='v1', verbose=False)\n"
                    + "print(bytes(p).hex())\n";
            String hex = nets.exec(ns, "/usr/bin/python3", "-c", script).trim();
            String[] lines = hex.split("\n");
            byte[] expected = HexFormat.of().parseHex(lines[lines.length - 1].trim());
            byte[][] got = new byte[1][];
            long end = System.nanoTime() + 3_000_000_000L;
            while (got[0] == null && System.nanoTime() < end) {
                a.receive(f -> {
                    if (f.length() == expected.length && f.segment().get(ValueLayout.JAVA_BYTE, f.offset() + 11) == 0x11) {
                        got[0] = f.segment().asSlice(f.offset(), f.length()).toArray(ValueLayout.JAVA_BYTE);
                    }
                }, 20);
            }
            assertThat(got[0]).isEqualTo(expected);
        }
    }

    @Test
    void missingInterfaceIsNamedWithItsErrno() {
        assertThatThrownBy(() -> open("jnftio-nope0"))
                .isInstanceOf(NativeException.class)
                .hasMessage("if_nametoindex(jnftio-nope0): No such device (ENODEV)")
                .satisfies(e -> assertThat(((NativeException) e).errno()).isEqualTo(Errno.ENODEV));
    }

    @Test
    void badRingGeometryIsTheKernelsEinval() {
        // 6 KiB blocks are not page-aligned: the kernel refuses the ring
        AfPacketLink.Options o = AfPacketLink.Options.defaults().withRing(6144, 4);
        assertThatThrownBy(() -> nets.in(ns, () -> AfPacketLink.open("v0", o)))
                .isInstanceOf(NativeException.class)
                .hasMessage("setsockopt(PACKET_RX_RING): Invalid argument (EINVAL)");
    }

    @Test
    void sendOnADownLinkIsCountedNotThrown() throws Exception {
        nets.ip(ns, "link add d0 type veth peer name d1");
        try (AfPacketLink d = open("d0"); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, frame(1, 64));
            d.send(buf, 0, 64);
            assertThat(d.flush()).isZero();
            assertThat(d.txDropped()).isEqualTo(1);
            assertThat(Errno.name(d.lastTxErrno())).isEqualTo("ENETDOWN");
        } finally {
            nets.ip(ns, "link del d0");
        }
    }

    @Test
    void closedLinkRefusesWork() throws Exception {
        AfPacketLink a = open("v0");
        a.close();
        a.close();
        assertThatThrownBy(() -> a.receive(f -> { }, 0)).isInstanceOf(NativeException.class)
                .hasMessageContaining("closed");
    }

    /** Counts test frames without allocating (a field, not a capturing lambda per call). */
    static final class Counter implements AfPacketLink.FrameHandler {
        long frames;
        long bytes;

        @Override
        public void frame(RxFrame f) {
            frames++;
            bytes += f.length();
        }
    }

    @Test
    void receiveAndTransmitLoopsAllocateNothing() throws Exception {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (AfPacketLink a = open("v0"); AfPacketLink b = open("v1"); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, frame(1, 1000));
            Counter c = new Counter();
            long tid = Thread.currentThread().threadId();
            // Steady state: the JIT needs a while (longer when the whole suite competes for the CPUs), so
            // rounds run until one allocates nothing, for up to 40 rounds of 32,000 frames.
            List<Long> allocated = new ArrayList<>();
            for (int round = 0; round < 40; round++) {
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 1000; i++) {
                    for (int k = 0; k < 32; k++) {
                        b.send(buf, 0, 1000);
                    }
                    b.flush();
                    a.receive(c, 0);
                    a.kernelDrops();
                }
                allocated.add(mx.getThreadAllocatedBytes(tid) - before);
                if (round >= 2 && allocated.getLast() == 0) {
                    break;
                }
            }
            assertThat(c.frames).isPositive();
            assertThat(allocated.getLast()).as("bytes allocated per round of 32,000 frames sent and received: %s",
                    allocated).isZero();
        }
    }
}
