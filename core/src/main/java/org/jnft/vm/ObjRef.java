package org.jnft.vm;

/** {@code objref type T name N} or {@code objref sreg R set S} (object maps). */
public final class ObjRef implements Expr {
    public final int type;
    public final String name;
    public final int sreg;
    public final NftSet set;
    public NamedObject object;

    public ObjRef(int type, String name) {
        this.type = type;
        this.name = name;
        this.sreg = 0;
        this.set = null;
    }

    public ObjRef(int sreg, NftSet set) {
        this.type = 0;
        this.name = null;
        this.sreg = sreg;
        this.set = set;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        NamedObject o = object;
        if (set != null) {
            int i = set.find(r.data, Regs.offset(sreg));
            if (i < 0) {
                r.verdict = Verdict.BREAK;
                return;
            }
            o = set.objectAt(i);
        }
        if (o != null) o.state.eval(r, p, e);
    }

    @Override
    public String toString() {
        return set == null ? "objref type " + type + " name " + name : "objref sreg " + sreg + " set " + set.name;
    }
}
