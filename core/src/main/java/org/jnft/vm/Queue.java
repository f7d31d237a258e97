package org.jnft.vm;

/** {@code queue num N}: jnft has no userspace queue; the verdict is NF_QUEUE (dropped by the pipeline). */
public final class Queue implements Expr {
    public final int num;

    public Queue(int num) {
        this.num = num;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        r.verdict = Verdict.QUEUE;
    }

    @Override
    public String toString() {
        return "queue num " + num;
    }
}
