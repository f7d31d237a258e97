package org.jnft.vm;

/** {@code counter pkts N bytes N}: an anonymous counter. */
public final class Counter implements Expr {
    public long packets, bytes;

    public Counter(long packets, long bytes) {
        this.packets = packets;
        this.bytes = bytes;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        packets++;
        bytes += p.frameLength - Math.max(0, p.networkOffset);
    }

    @Override
    public String toString() {
        return "counter pkts " + packets + " bytes " + bytes;
    }
}
