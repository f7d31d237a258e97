package org.jnft.vm;

/** {@code immediate reg R DATA} or {@code immediate reg 0 VERDICT [-> chain]}. */
public final class Immediate implements Expr {
    public final int dreg;
    public final byte[] data;
    public final int verdict;
    public final String chainName;
    /** Resolved chain index for jump/goto (set when the ruleset snapshot is built). */
    public int chainIndex = -1;

    private Immediate(int dreg, byte[] data, int verdict, String chainName) {
        this.dreg = dreg;
        this.data = data;
        this.verdict = verdict;
        this.chainName = chainName;
    }

    public static Immediate data(int dreg, byte[] data) {
        return new Immediate(dreg, data, 0, null);
    }

    public static Immediate verdict(int code, String chain) {
        return new Immediate(0, null, code, chain);
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (data == null) {
            r.verdict = verdict;
            r.chain = chainIndex;
        } else {
            System.arraycopy(data, 0, r.data, Regs.offset(dreg), data.length);
        }
    }

    @Override
    public String toString() {
        if (data != null) return "immediate reg " + dreg + " " + Data.hex(data);
        return "immediate reg 0 " + Verdict.name(verdict) + (chainName == null ? "" : " -> " + chainName);
    }
}
