package org.jnft.vm;

/** {@code meta set KEY with reg R}. */
public final class MetaSet implements Expr {
    public final MetaKey key;
    public final int sreg;

    public MetaSet(MetaKey key, int sreg) {
        this.key = key;
        this.sreg = sreg;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        switch (key) {
            case MARK -> p.mark = r.u32(sreg);
            case PRIORITY -> p.priority = r.u32(sreg);
            case PKTTYPE -> p.pkttype = r.u32(sreg) & 0xff;
            default -> { }
        }
    }

    @Override
    public String toString() {
        return "meta set " + key.text + " with reg " + sreg;
    }
}
