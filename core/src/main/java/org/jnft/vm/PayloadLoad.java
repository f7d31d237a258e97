package org.jnft.vm;

/** {@code payload load Nb @ BASE header + OFF => reg R}. Out of bounds ends the rule (NFT_BREAK). */
public final class PayloadLoad implements Expr {
    public final PayloadBase base;
    public final int offset, len, dreg;
    /** Byte offset of {@link #dreg} in the register file, and of the padding to zero after the data. */
    private final int regOff;
    private final int padEnd;

    public PayloadLoad(PayloadBase base, int offset, int len, int dreg) {
        this.base = base;
        this.offset = offset;
        this.len = len;
        this.dreg = dreg;
        this.regOff = Regs.offset(dreg);
        this.padEnd = regOff + ((len + 3) & ~3);
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        int start = base.start(p);
        if (start < 0 || start + offset + len > p.frameLength) {
            r.verdict = Verdict.BREAK;
            return;
        }
        int o = regOff;
        for (int i = o + len; i < padEnd; i++) r.data[i] = 0;
        // one bulk copy (nft_payload_eval's skb_copy_bits)
        java.lang.foreign.MemorySegment.copy(p.segment, java.lang.foreign.ValueLayout.JAVA_BYTE,
                p.frameOffset + start + offset, r.data, o, len);
    }

    @Override
    public String toString() {
        return "payload load " + len + "b @ " + base.text + " header + " + offset + " => reg " + dreg;
    }
}
