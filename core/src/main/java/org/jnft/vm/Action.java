package org.jnft.vm;

/**
 * Statements whose effect belongs to later issues (conntrack, NAT, reject, log, flow offload): they
 * compile and print here; {@link #eval} hands them to the engine's hook when one is installed.
 */
public final class Action implements Expr {
    public enum Kind { LOG, REJECT, NAT, MASQ, REDIR, FLOW_OFFLOAD, NOTRACK, RT_LOAD, FIB, EXTHDR, OTHER }

    public final Kind kind;
    private final String text;
    /** Register-level parameters (e.g. nat registers), kept for the later interpreters. */
    public final int[] regs;
    public final String name;

    public Action(Kind kind, String text, String name, int... regs) {
        this.kind = kind;
        this.text = text;
        this.name = name;
        this.regs = regs;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        switch (kind) {
            case NOTRACK -> p.notrack = true;
            case LOG -> e.logSink.log(name, 4, p);
            case REJECT -> r.verdict = Verdict.DROP;
            case RT_LOAD, FIB, EXTHDR -> r.verdict = Verdict.BREAK;
            default -> { }
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
