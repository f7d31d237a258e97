package org.jnft.vm;

/** {@code quota bytes N consumed C flags F}: matches until N bytes were seen ({@code over}: after). */
public final class Quota implements Expr {
    public final long bytes;
    public final boolean over;
    public long consumed;

    public Quota(long bytes, long consumed, boolean over) {
        this.bytes = bytes;
        this.consumed = consumed;
        this.over = over;
    }

    /** Adds the packet's length; true when the quota is now exhausted. */
    boolean account(NftPacket p) {
        consumed += p.frameLength - Math.max(0, p.networkOffset);
        return consumed >= bytes;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (account(p) != over) r.verdict = Verdict.BREAK;
    }

    @Override
    public String toString() {
        return "quota bytes " + bytes + " consumed " + consumed + " flags " + (over ? 1 : 0);
    }
}
