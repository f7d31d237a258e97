package org.jnft.vm;

/** {@code notrack}: marks the packet untracked. */
public final class Notrack implements Expr {
    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        p.notrack = true;
    }

    @Override
    public String toString() {
        return "notrack";
    }
}
