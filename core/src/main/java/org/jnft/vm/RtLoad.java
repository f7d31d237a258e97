package org.jnft.vm;

/** {@code rt load KEY => reg R} (tcpmss, nexthop4, nexthop6, classid): needs the route; breaks without one. */
public final class RtLoad implements Expr {
    public final String key;
    public final int dreg;

    public RtLoad(String key, int dreg) {
        this.key = key;
        this.dreg = dreg;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        r.verdict = Verdict.BREAK;
    }

    @Override
    public String toString() {
        return "rt load " + key + " => reg " + dreg;
    }
}
