package org.jnft.vm;

/** {@code dynset add|update reg_key R set S [timeout Nms]}: adds the key to the set from the packet path. */
public final class Dynset implements Expr {
    public final boolean update;
    public final int sregKey;
    public final NftSet set;
    public final long timeoutMs;

    public Dynset(boolean update, int sregKey, NftSet set, long timeoutMs) {
        this.update = update;
        this.sregKey = sregKey;
        this.set = set;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (!set.insertFromPath(r.data, Regs.offset(sregKey), update, timeoutMs, e.now)) r.verdict = Verdict.BREAK;
    }

    @Override
    public String toString() {
        return "dynset " + (update ? "update" : "add") + " reg_key " + sregKey + " set " + set.name
                + (timeoutMs > 0 ? " timeout " + timeoutMs + "ms" : "");
    }
}
