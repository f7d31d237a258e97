package org.jnft.vm;

/** {@code limit rate R/UNIT burst B type packets|bytes flags F}: a token bucket on the engine clock. */
public final class Limit implements Expr {
    public final long rate, unitSeconds, burst;
    public final boolean bytes, over;
    private final long tokensMax, costPerUnit;
    private long tokens, last = Long.MIN_VALUE;

    public Limit(long rate, long unitSeconds, long burst, boolean bytes, boolean over) {
        this.rate = rate;
        this.unitSeconds = unitSeconds;
        this.burst = burst;
        this.bytes = bytes;
        this.over = over;
        long nsecs = unitSeconds * 1_000_000_000L;
        this.costPerUnit = bytes ? nsecs : nsecs / Math.max(1, rate);
        this.tokensMax = bytes ? nsecs / Math.max(1, rate) * Math.max(1, burst) : costPerUnit * Math.max(1, burst);
        this.tokens = tokensMax;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        long now = e.now;
        if (last != Long.MIN_VALUE) tokens = Math.min(tokensMax, tokens + Math.max(0, now - last));
        last = now;
        long cost = bytes ? costPerUnit / Math.max(1, rate) * (p.frameLength - Math.max(0, p.networkOffset)) : costPerUnit;
        boolean limited = tokens - cost < 0;
        if (!limited) tokens -= cost;
        if (limited != over) r.verdict = Verdict.BREAK;
    }

    static String unitName(long s) {
        return s == 1 ? "second" : s == 60 ? "minute" : s == 3600 ? "hour" : s == 86400 ? "day" : "week";
    }

    @Override
    public String toString() {
        return "limit rate " + rate + "/" + unitName(unitSeconds) + " burst " + burst + " type "
                + (bytes ? "bytes" : "packets") + " flags 0x" + (over ? "1" : "0");
    }
}
