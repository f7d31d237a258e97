package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Completing partial checksums as skb_checksum_help would: random TCP/UDP frames, seeded. */
class VnetHeaderTest {
    @Test
    void completesPartialChecksumsToWhatAFullComputationGives() {
        long seed = 20261125L;
        Random rnd = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2048);
            VnetHeader h = new VnetHeader();
            for (int n = 0; n < 2000; n++) {
                boolean udp = rnd.nextBoolean();
                int proto = udp ? IpProto.UDP : IpProto.TCP;
                int l4hdr = udp ? 8 : 20;
                int payload = rnd.nextInt(1400);
                int l4len = l4hdr + payload;
                long frame = rnd.nextInt(64);
                for (int i = 0; i < 14 + 20 + l4len; i++) {
                    seg.set(java.lang.foreign.ValueLayout.JAVA_BYTE, frame + i, (byte) rnd.nextInt());
                }
                int src = rnd.nextInt();
                int dst = rnd.nextInt();
                long l4 = frame + 34;
                int field = udp ? 6 : 16;
                int expected = Checksum.l4ChecksumV4(seg, l4, l4len, src, dst, proto);
                // what a sender with checksum offload leaves: the folded pseudo-header sum, not complemented
                Bytes.setU16(seg, l4 + field, Checksum.fold(Checksum.pseudoV4(src, dst, proto, l4len)));
                h.clear();
                h.flags = VnetHeader.NEEDS_CSUM;
                h.csumStart = 34;
                h.csumOffset = field;
                assertThat(h.completeChecksum(seg, frame, 34 + l4len)).isTrue();
                assertThat(Bytes.u16(seg, l4 + field)).as("seed %d case %d", seed, n).isEqualTo(expected);
                assertThat(h.flags).isEqualTo(VnetHeader.DATA_VALID);
                assertThat(Checksum.l4ValidV4(seg, l4, l4len, src, dst, proto)).isTrue();
            }
        }
    }

    @Test
    void leavesGsoFramesAndCompleteChecksumsAlone() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(256);
            VnetHeader h = new VnetHeader();
            assertThat(h.completeChecksum(seg, 0, 100)).isFalse();
            h.flags = VnetHeader.NEEDS_CSUM;
            h.gsoType = VnetHeader.GSO_TCPV4;
            h.gsoSize = 1448;
            h.csumStart = 34;
            h.csumOffset = 16;
            assertThat(h.isGso()).isTrue();
            assertThat(h.completeChecksum(seg, 0, 100)).isFalse();
            h.gsoType = VnetHeader.GSO_NONE;
            assertThat(h.completeChecksum(seg, 0, 40)).as("offsets outside the frame").isFalse();
        }
    }
}
