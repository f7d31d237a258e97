package org.jnft.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class PacketBufferTest {
    @Test
    void loadPushPull() {
        byte[] f = PacketBuilder.ether(1, 2).ipv4(3, 4).udp(5, 6).payloadLength(10).build();
        PacketBuffer b = new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY);
        assertThat(b.segment().isNative()).isTrue();
        assertThat(b.capacity()).isEqualTo(65536 + 256);
        b.load(f);
        assertThat(b.offset()).isEqualTo(PacketBuffer.DEFAULT_HEADROOM);
        assertThat(b.length()).isEqualTo(f.length);
        assertThat(b.toArray()).isEqualTo(f);
        // push a VLAN tag in front without moving the payload: move the MACs 4 bytes forward
        b.push(4);
        MemorySegment s = b.segment();
        MemorySegment.copy(s, b.offset() + 4, s, b.offset(), 12);
        new VlanView().wrap(s, b.offset() + 12).tpid(EtherType.VLAN).tci(42);
        byte[] tagged = PacketBuilder.ether(1, 2).vlan(42).ipv4(3, 4).udp(5, 6).payloadLength(10).build();
        assertThat(b.toArray()).isEqualTo(tagged);
        PacketInfo info = new PacketInfo();
        assertThat(PacketParser.parse(s, b.offset(), b.length(), info)).isEqualTo(ParseStatus.OK);
        assertThat(info.vlanId()).isEqualTo(42);
        // and pop it again
        MemorySegment.copy(s, b.offset(), s, b.offset() + 4, 12);
        b.pull(4);
        assertThat(b.toArray()).isEqualTo(f);
        b.length(20);
        assertThat(b.length()).isEqualTo(20);
        b.set(0, 5);
        assertThat(b.offset()).isZero();
        assertThatThrownBy(() -> b.push(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.pull(6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.set(b.capacity() - 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        b.ifindex = 3;
        b.timestamp = 1_000_000L;
        b.reset();
        assertThat(b.offset()).isEqualTo(PacketBuffer.DEFAULT_HEADROOM);
        assertThat(b.length()).isZero();
        assertThat(b.ifindex).isZero();
    }

    @Test
    void loadFromSegmentAndLimits() {
        try (Arena arena = Arena.ofConfined()) {
            PacketBuffer b = new PacketBuffer(arena, 256, 64);
            byte[] f = new byte[192];
            f[0] = 7;
            f[191] = 9;
            b.load(MemorySegment.ofArray(f), 0, 192);
            assertThat(b.toArray()).isEqualTo(f);
            assertThatThrownBy(() -> b.load(new byte[193])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("193");
            assertThatThrownBy(() -> new PacketBuffer(arena, 64, 64)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void parserAndViewsDoNotAllocate() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        byte[] f = PacketBuilder.ether(1, 2).vlan(7).ipv4(3, 4).ttl(9).tcp(5, 6, TcpView.SYN, 1, 0).mss(1400).build();
        PacketBuffer b = new PacketBuffer(4096);
        b.load(f);
        PacketInfo info = new PacketInfo();
        Ipv4View ip = new Ipv4View();
        TcpView tcp = new TcpView();
        long sink = 0;
        long before = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up (class init, JIT)
            if (round == 1) {
                before = mx.getCurrentThreadAllocatedBytes();
            }
            for (int i = 0; i < 20_000; i++) {
                PacketParser.parse(b.segment(), b.offset(), b.length(), info);
                ip.wrap(b.segment(), info.l3Offset);
                ip.ttl(9);
                ip.fillChecksum();
                ip.decrementTtl();
                tcp.wrap(b.segment(), info.l4Offset);
                sink += tcp.mss() + tcp.sport() + Checksum.update32(tcp.checksum(), ip.src(), ip.dst());
            }
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(sink).isNotZero();
        // generous bound: 20k iterations of even one 16-byte object each would be 320 KB
        assertThat(allocated).as("bytes allocated by 20k parse+view rounds").isLessThan(64 * 1024);
    }
}
