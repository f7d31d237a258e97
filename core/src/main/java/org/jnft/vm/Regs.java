package org.jnft.vm;

/**
 * The register file, laid out as the kernel's {@code struct nft_regs}: 80 bytes, the verdict in the
 * first 16, then sixteen 32-bit registers that are also addressed as four 128-bit ones.
 * Register numbers are the netlink ones: 0 verdict, 1..4 the 128-bit registers, 8..23 the 32-bit ones.
 */
public final class Regs {
    public static final int SIZE = 80;
    public final byte[] data = new byte[SIZE];
    /** The verdict code (kernel's {@code verdict.code}). */
    public int verdict;
    /** Target chain of a jump/goto verdict. */
    public int chain;

    /** Byte offset of netlink register {@code reg} in {@link #data}. */
    public static int offset(int reg) {
        if (reg >= 1 && reg <= 4) return reg * 16;
        if (reg >= 8 && reg <= 23) return 16 + (reg - 8) * 4;
        if (reg == 0) return 0;
        throw new IllegalArgumentException("bad register " + reg);
    }

    public int u32(int reg) {
        int o = offset(reg);
        return (data[o] & 0xff) | (data[o + 1] & 0xff) << 8 | (data[o + 2] & 0xff) << 16 | (data[o + 3] & 0xff) << 24;
    }

    /** Stores a host-order 32-bit value (little-endian, as on x86). */
    public void setU32(int reg, int v) {
        int o = offset(reg);
        data[o] = (byte) v;
        data[o + 1] = (byte) (v >>> 8);
        data[o + 2] = (byte) (v >>> 16);
        data[o + 3] = (byte) (v >>> 24);
    }

    public void setU8(int reg, int v) {
        int o = offset(reg);
        data[o] = (byte) v;
        data[o + 1] = 0;
        data[o + 2] = 0;
        data[o + 3] = 0;
    }

    public void reset() {
        verdict = Verdict.CONTINUE;
        chain = -1;
    }
}
