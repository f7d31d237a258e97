package org.jnft.vm;

/** {@code range eq|neq reg R FROM TO}. */
public final class Range implements Expr {
    public final boolean negate;
    public final int sreg;
    public final byte[] from, to;

    public Range(boolean negate, int sreg, byte[] from, byte[] to) {
        this.negate = negate;
        this.sreg = sreg;
        this.from = from;
        this.to = to;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        int o = Regs.offset(sreg);
        boolean in = Data.compare(r.data, o, from, from.length) >= 0 && Data.compare(r.data, o, to, to.length) <= 0;
        if (in == negate) r.verdict = Verdict.BREAK;
    }

    @Override
    public String toString() {
        return "range " + (negate ? "neq" : "eq") + " reg " + sreg + " " + Data.hex(from) + " " + Data.hex(to);
    }
}
