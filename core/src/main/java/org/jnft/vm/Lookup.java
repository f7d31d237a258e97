package org.jnft.vm;

/** {@code lookup reg R set S [dreg D] [0x1]}: set membership, or a map lookup into dreg (0: verdict). */
public final class Lookup implements Expr {
    public final int sreg, dreg;
    public final NftSet set;
    public final boolean invert;

    public Lookup(int sreg, NftSet set, int dreg, boolean invert) {
        this.sreg = sreg;
        this.set = set;
        this.dreg = dreg;
        this.invert = invert;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        int i = set.find(r.data, Regs.offset(sreg), e.now);
        if ((i >= 0) == invert) {
            r.verdict = Verdict.BREAK;
            return;
        }
        if (dreg < 0 || i < 0) return;
        if (dreg == 0) {
            r.verdict = set.verdictAt(i);
            r.chain = set.chainAt(i);
        } else {
            set.copyData(i, r.data, Regs.offset(dreg));
        }
    }

    @Override
    public String toString() {
        return "lookup reg " + sreg + " set " + set.name + (dreg >= 0 ? " dreg " + dreg : "") + (invert ? " 0x1" : "");
    }
}
