package org.jnft.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds pcapng files in tests (one section, Ethernet interfaces, EPBs). */
final class PcapngBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;

    PcapngBuilder(ByteOrder order) {
        this.order = order;
        block(0x0A0D0D0A, bb(16).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1));
    }

    private ByteBuffer bb(int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    private void block(int type, ByteBuffer body) {
        byte[] b = body.array();
        int padded = (b.length + 3) & ~3;
        ByteBuffer x = bb(12 + padded);
        x.putInt(type).putInt(12 + padded).put(b).position(8 + padded);
        x.putInt(12 + padded);
        out.writeBytes(x.array());
    }

    PcapngBuilder idb(int snaplen) {
        block(1, bb(8).putShort((short) 1).putShort((short) 0).putInt(snaplen));
        return this;
    }

    PcapngBuilder epb(int ifid, long ts, byte[] frame) {
        int padded = (frame.length + 3) & ~3;
        ByteBuffer x = bb(20 + padded).putInt(ifid).putInt((int) (ts >>> 32)).putInt((int) ts)
                .putInt(frame.length).putInt(frame.length).put(frame);
        block(6, x);
        return this;
    }

    /** A block without body: type, length 12, length 12. */
    PcapngBuilder empty(int type) {
        block(type, bb(0));
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
