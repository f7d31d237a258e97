package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.PacketBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Software segmentation of TCP/UDP GSO super-frames: each segment a valid wire frame. */
class GsoSegmenterTest {

    /** An IPv4 TCP super-frame with {@code payload} bytes, FIN|PSH|ACK|CWR, partial checksum. */
    private static RxFrame tcp4(int payload, int mss) {
        int len = 14 + 20 + 20 + payload;
        MemorySegment s = Arena.ofAuto().allocate(len);
        Bytes.setU16(s, 12, 0x0800);
        Bytes.setU8(s, 14, 0x45);
        Bytes.setU16(s, 16, 20 + 20 + payload);
        Bytes.setU16(s, 18, 0x1000);
        Bytes.setU8(s, 22, 64);
        Bytes.setU8(s, 23, 6);
        Bytes.setU32(s, 26, 0x0a000163);
        Bytes.setU32(s, 30, 0x0a000263);
        Bytes.setU16(s, 34, 40000);
        Bytes.setU16(s, 36, 12345);
        Bytes.setU32(s, 38, 0xfffffc00); // wraps within the frame
        Bytes.setU8(s, 46, 5 << 4);
        Bytes.setU8(s, 47, 0x80 | 0x10 | 0x08 | 0x01);
        for (int i = 0; i < payload; i++) {
            Bytes.setU8(s, 54 + i, i * 7);
        }
        RxFrame f = new RxFrame();
        f.segment = s;
        f.offset = 0;
        f.length = len;
        f.vnet.flags = VnetHeader.NEEDS_CSUM;
        f.vnet.gsoType = VnetHeader.GSO_TCPV4;
        f.vnet.gsoSize = mss;
        f.vnet.hdrLen = 54;
        f.vnet.csumStart = 34;
        f.vnet.csumOffset = 16;
        return f;
    }

    @Test
    void tcpSuperFrameBecomesValidSegments() {
        List<byte[]> out = new ArrayList<>();
        GsoSegmenter g = new GsoSegmenter();
        int n = g.deliver(tcp4(2500, 1000), new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY), b -> out.add(b.toArray()));
        assertEquals(3, n);
        int[] sizes = {1000, 1000, 500};
        for (int i = 0; i < 3; i++) {
            MemorySegment s = MemorySegment.ofArray(out.get(i));
            assertEquals(54 + sizes[i], s.byteSize());
            assertEquals(40 + sizes[i], Bytes.u16(s, 16), "total length");
            assertEquals(0x1000 + i, Bytes.u16(s, 18), "id");
            assertEquals(0xffff, Checksum.fold(Checksum.sum(s, 14, 20, 0)), "IPv4 header checksum");
            long pseudo = Checksum.pseudoV4(Bytes.u32(s, 26), Bytes.u32(s, 30), 6, 20 + sizes[i]);
            assertEquals(0xffff, Checksum.fold(Checksum.sum(s, 34, 20 + sizes[i], pseudo)), "TCP checksum");
            assertEquals((0xfffffc00 + 1000 * i), Bytes.u32(s, 38), "sequence number");
            int flags = Bytes.u8(s, 47);
            assertEquals(i == 0 ? 0x80 : 0, flags & 0x80, "CWR on the first only");
            assertEquals(i == 2 ? 0x09 : 0, flags & 0x09, "FIN and PSH on the last only");
            assertEquals((1000 * i * 7) & 0xff, Bytes.u8(s, 54), "payload in order");
        }
    }

    @Test
    void partialChecksumOfAPlainFrameIsCompleted() {
        RxFrame f = tcp4(300, 0);
        f.vnet.gsoType = VnetHeader.GSO_NONE;
        // the field holds the pseudo-header sum, as the sender leaves it for offload
        Bytes.setU16(f.segment, 50, Checksum.fold(Checksum.pseudoV4(0x0a000163, 0x0a000263, 6, 320)));
        List<byte[]> out = new ArrayList<>();
        assertEquals(1, new GsoSegmenter().deliver(f, new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY),
                b -> out.add(b.toArray())));
        MemorySegment s = MemorySegment.ofArray(out.getFirst());
        long pseudo = Checksum.pseudoV4(0x0a000163, 0x0a000263, 6, 320);
        assertEquals(0xffff, Checksum.fold(Checksum.sum(s, 34, 320, pseudo)));
    }

    @Test
    void nonsenseGsoHeadersAreRefused() {
        RxFrame f = tcp4(2000, 1000);
        f.vnet.csumStart = 20; // inside the IP header
        GsoSegmenter g = new GsoSegmenter();
        assertEquals(0, g.deliver(f, new PacketBuffer(PacketBuffer.DEFAULT_CAPACITY), b -> { }));
        assertEquals(1, g.unsegmentable());
    }
}
