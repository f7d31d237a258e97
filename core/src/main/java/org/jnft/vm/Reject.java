package org.jnft.vm;

/** {@code reject type T code C} (type 0 ICMP/ICMPv6 unreachable, 1 TCP reset, 2 ICMPx). Drops here; the reply comes with issue 5. */
public final class Reject implements Expr {
    public final int type, code;

    public Reject(int type, int code) {
        this.type = type;
        this.code = code;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        e.rejectType = type;
        e.rejectCode = code;
        r.verdict = Verdict.DROP;
    }

    @Override
    public String toString() {
        return "reject type " + type + " code " + code;
    }
}
