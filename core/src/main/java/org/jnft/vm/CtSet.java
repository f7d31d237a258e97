package org.jnft.vm;

/** {@code ct set KEY with reg R}. */
public final class CtSet implements Expr {
    public final CtKey key;
    public final int sreg;
    /** -1 without direction, else 0 original, 1 reply. */
    public final int dir;

    public CtSet(CtKey key, int sreg, int dir) {
        this.key = key;
        this.sreg = sreg;
        this.dir = dir;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (p.ctPresent && key == CtKey.MARK) p.ctMark = r.u32(sreg);
    }

    @Override
    public String toString() {
        return "ct set " + key.text + " with reg " + sreg + (dir < 0 ? "" : dir == 0 ? " , dir original" : " , dir reply");
    }
}
