package org.jnft.vm;

/** {@code bitwise reg D = ( reg S & MASK ) ^ XOR}, or a shift {@code ( reg S << N )}. */
public final class Bitwise implements Expr {
    public enum Op { BOOL, LSHIFT, RSHIFT }

    public final Op op;
    public final int sreg, dreg, len;
    public final byte[] mask, xor;
    public final int shift;

    private Bitwise(Op op, int sreg, int dreg, int len, byte[] mask, byte[] xor, int shift) {
        this.op = op;
        this.sreg = sreg;
        this.dreg = dreg;
        this.len = len;
        this.mask = mask;
        this.xor = xor;
        this.shift = shift;
    }

    public static Bitwise bool(int sreg, int dreg, byte[] mask, byte[] xor) {
        return new Bitwise(Op.BOOL, sreg, dreg, mask.length, mask, xor, 0);
    }

    public static Bitwise shift(Op op, int sreg, int dreg, int len, int n) {
        return new Bitwise(op, sreg, dreg, len, null, null, n);
    }

    @Override
    public void eval(Regs r, NftPacket p, Engine e) {
        int s = Regs.offset(sreg), d = Regs.offset(dreg);
        if (op == Op.BOOL) {
            for (int i = 0; i < len; i++) r.data[d + i] = (byte) ((r.data[s + i] & mask[i]) ^ xor[i]);
            return;
        }
        // Shifts act on host-order 32-bit words, as the kernel's nft_bitwise_eval_lshift/rshift.
        int words = (len + 3) / 4;
        if (op == Op.LSHIFT) {
            int carry = 0;
            for (int i = words - 1; i >= 0; i--) {
                int v = word(r.data, s + 4 * i);
                put(r.data, d + 4 * i, (v << shift) | carry);
                carry = shift == 0 ? 0 : v >>> (32 - shift);
            }
        } else {
            int carry = 0;
            for (int i = 0; i < words; i++) {
                int v = word(r.data, s + 4 * i);
                put(r.data, d + 4 * i, carry | (v >>> shift));
                carry = shift == 0 ? 0 : v << (32 - shift);
            }
        }
    }

    private static int word(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    private static void put(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
    }

    @Override
    public String toString() {
        return switch (op) {
            case BOOL -> "bitwise reg " + dreg + " = ( reg " + sreg + " & " + Data.hex(mask) + " ) ^ " + Data.hex(xor);
            case LSHIFT -> "bitwise reg " + dreg + " = ( reg " + sreg + " << " + String.format("0x%08x", shift) + " ) ";
            case RSHIFT -> "bitwise reg " + dreg + " = ( reg " + sreg + " >> " + String.format("0x%08x", shift) + " ) ";
        };
    }
}
