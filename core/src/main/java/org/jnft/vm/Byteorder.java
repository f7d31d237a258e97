package org.jnft.vm;

/** {@code byteorder reg D = hton|ntoh(reg S, SIZE, LEN)}. */
public final class Byteorder implements Expr {
    public final boolean hton;
    public final int sreg, dreg, len, size;

    public Byteorder(boolean hton, int sreg, int dreg, int len, int size) {
        this.hton = hton;
        this.sreg = sreg;
        this.dreg = dreg;
        this.len = len;
        this.size = size;
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        int s = Regs.offset(sreg), d = Regs.offset(dreg);
        // On a little-endian host both directions reverse each SIZE-byte unit.
        for (int u = 0; u < len; u += size) {
            for (int i = 0; i < size / 2; i++) {
                byte a = r.data[s + u + i], b = r.data[s + u + size - 1 - i];
                r.data[d + u + i] = b;
                r.data[d + u + size - 1 - i] = a;
            }
        }
    }

    @Override
    public String toString() {
        return "byteorder reg " + dreg + " = " + (hton ? "hton" : "ntoh") + "(reg " + sreg + ", " + size + ", " + len + ")";
    }
}
