package org.jnft.vm;

/** {@code ct load KEY => reg R [, dir original|reply]}. Acts on the packet's conntrack view. */
public final class CtLoad implements Expr {
    /** ct state bits as the kernel's NF_CT_STATE_*: invalid 1, established 2, related 4, new 8, untracked 64. */
    public static final int STATE_INVALID = 1, STATE_UNTRACKED = 64;
    public final CtKey key;
    public final int dreg;
    /** -1 without direction, else 0 original, 1 reply. */
    public final int dir;

    public CtLoad(CtKey key, int dreg, int dir) {
        this.key = key;
        this.dreg = dreg;
        this.dir = dir;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (key == CtKey.STATE) {
            r.setU32(dreg, p.notrack ? STATE_UNTRACKED : p.ctPresent ? p.ctState : STATE_INVALID);
            return;
        }
        if (!p.ctPresent) {
            r.verdict = Verdict.BREAK;
            return;
        }
        switch (key) {
            case MARK -> r.setU32(dreg, p.ctMark);
            case STATUS -> r.setU32(dreg, p.ctStatus);
            case DIRECTION -> r.setU8(dreg, p.ctDirection);
            default -> r.verdict = Verdict.BREAK; // tuples and counters: conntrack issue
        }
    }

    @Override
    public String toString() {
        return "ct load " + key.text + " => reg " + dreg + (dir < 0 ? "" : dir == 0 ? " , dir original" : " , dir reply");
    }
}
