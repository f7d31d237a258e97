package org.jnft.vm;

/** {@code cmp OP reg R DATA}: memcmp of the register against a constant; false ends the rule. */
public final class Cmp implements Expr {
    public final CmpOp op;
    public final int sreg;
    public final byte[] data;

    private final int regOff;

    public Cmp(CmpOp op, int sreg, byte[] data) {
        this.op = op;
        this.sreg = sreg;
        this.data = data;
        this.regOff = Regs.offset(sreg);
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        if (!op.test(Data.compare(r.data, regOff, data, data.length))) r.verdict = Verdict.BREAK;
    }

    @Override
    public String toString() {
        return "cmp " + op.text + " reg " + sreg + " " + Data.hex(data);
    }
}
