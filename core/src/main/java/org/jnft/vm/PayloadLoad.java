package org.jnft.vm;

/** {@code payload load Nb @ BASE header + OFF => reg R}. Out of bounds ends the rule (NFT_BREAK). */
public final class PayloadLoad implements Expr {
    public final PayloadBase base;
    public final int offset, len, dreg;

    public PayloadLoad(PayloadBase base, int offset, int len, int dreg) {
        this.base = base;
        this.offset = offset;
        this.len = len;
        this.dreg = dreg;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        int start = base.start(p);
        if (start < 0 || start + offset + len > p.frameLength) {
            r.verdict = Verdict.BREAK;
            return;
        }
        int o = Regs.offset(dreg);
        if (len % 4 != 0) r.data[o + len - len % 4 + 3] = 0;
        java.util.Arrays.fill(r.data, o + len, o + ((len + 3) & ~3), (byte) 0);
        for (int i = 0; i < len; i++) r.data[o + i] = (byte) p.byteAt(start + offset + i);
    }

    @Override
    public String toString() {
        return "payload load " + len + "b @ " + base.text + " header + " + offset + " => reg " + dreg;
    }
}
