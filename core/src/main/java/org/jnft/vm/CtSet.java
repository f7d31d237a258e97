package org.jnft.vm;

/** {@code ct set KEY with reg R}. */
public final class CtSet implements Expr {
    public final CtKey key;
    public final int sreg;

    public CtSet(CtKey key, int sreg) {
        this.key = key;
        this.sreg = sreg;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (p.ctPresent && key == CtKey.MARK) p.ctMark = r.u32(sreg);
    }

    @Override
    public String toString() {
        return "ct set " + key.text + " with reg " + sreg;
    }
}
