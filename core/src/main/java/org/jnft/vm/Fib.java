package org.jnft.vm;

/** {@code fib FLAGS RESULT [present] => reg R}: a FIB lookup; needs the routing package, breaks until then. */
public final class Fib implements Expr {
    public final String flags, result;
    public final boolean present;
    public final int dreg;

    public Fib(String flags, String result, boolean present, int dreg) {
        this.flags = flags;
        this.result = result;
        this.present = present;
        this.dreg = dreg;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        r.verdict = Verdict.BREAK;
    }

    @Override
    public String toString() {
        return "fib " + flags + " " + result + (present ? " present" : "") + " => reg " + dreg;
    }
}
