package org.jnft.vm;

/**
 * {@code limit rate R/UNIT burst B type packets|bytes flags F}: the kernel's token bucket (nft_limit.c) in
 * nanoseconds of the engine clock. Packets cost nsecs/rate, bytes nsecs*len/rate; the bucket holds
 * nsecs/rate*burst (packets) or nsecs*(rate+burst)/rate (bytes) and starts full.
 */
public final class Limit implements Expr {
    public final long rate, unitSeconds, burst;
    public final boolean bytes, over;
    private final long nsecs, tokensMax, packetCost;
    private long tokens, last = Long.MIN_VALUE;

    public Limit(long rate, long unitSeconds, long burst, boolean bytes, boolean over) {
        this.rate = rate;
        this.unitSeconds = unitSeconds;
        this.burst = burst;
        this.bytes = bytes;
        this.over = over;
        this.nsecs = unitSeconds * 1_000_000_000L;
        long r = Math.max(1, rate);
        long b = !bytes && burst == 0 ? 5 : burst;
        this.packetCost = nsecs / r;
        this.tokensMax = bytes
                ? java.math.BigInteger.valueOf(nsecs).multiply(java.math.BigInteger.valueOf(r + b))
                        .divide(java.math.BigInteger.valueOf(r)).min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue()
                : Math.multiplyHigh(packetCost, b) != 0 ? Long.MAX_VALUE : packetCost * b;
        this.tokens = tokensMax;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        long now = e.now;
        if (last == Long.MIN_VALUE) last = now;
        long t = tokens + Math.max(0, now - last);
        if (t > tokensMax || t < 0) t = tokensMax;
        last = now;
        long cost = bytes ? nsecs * (p.frameLength - Math.max(0, p.networkOffset)) / Math.max(1, rate) : packetCost;
        long delta = t - cost;
        boolean allowed = delta >= 0;
        tokens = allowed ? delta : t;
        // The kernel breaks on "allowed == invert": a plain limit stops matching when exceeded, "over" the reverse.
        if (allowed == over) r.verdict = Verdict.BREAK;
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
