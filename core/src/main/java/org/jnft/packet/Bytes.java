package org.jnft.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Big-endian (network byte order) accessors over a {@link MemorySegment}.
 *
 * <p>Every getter returns an unsigned value: {@code u8}/{@code u16} in the low bits of an {@code int},
 * {@code u32} as the raw 32 bits in an {@code int} (mask with {@code & 0xffffffffL} for the unsigned
 * value), {@code u48} in the low 48 bits of a {@code long}, {@code u64} as the raw 64 bits. Setters
 * write the low bits of their argument. Offsets are absolute in the segment; out-of-bounds access throws
 * {@link IndexOutOfBoundsException} as MemorySegment does (the parser checks lengths before reading, so
 * the data plane never gets there). No method allocates.
 */
public final class Bytes {
    /** 16-bit big-endian, any alignment. */
    public static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** 32-bit big-endian, any alignment. */
    public static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** 64-bit big-endian, any alignment. */
    public static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** One byte. */
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;

    private Bytes() {
    }

    public static int u8(MemorySegment s, long off) {
        return s.get(U8, off) & 0xff;
    }

    public static int u16(MemorySegment s, long off) {
        return s.get(BE16, off) & 0xffff;
    }

    /** The raw 32 bits (network order read as big-endian); negative when the top bit is set. */
    public static int u32(MemorySegment s, long off) {
        return s.get(BE32, off);
    }

    /** 48 bits (a MAC address), first octet most significant, in the low bits. */
    public static long u48(MemorySegment s, long off) {
        return ((long) u16(s, off) << 32) | (s.get(BE32, off + 2) & 0xffffffffL);
    }

    public static long u64(MemorySegment s, long off) {
        return s.get(BE64, off);
    }

    public static void setU8(MemorySegment s, long off, int v) {
        s.set(U8, off, (byte) v);
    }

    public static void setU16(MemorySegment s, long off, int v) {
        s.set(BE16, off, (short) v);
    }

    public static void setU32(MemorySegment s, long off, int v) {
        s.set(BE32, off, v);
    }

    /** Writes the low 48 bits of {@code v}, first octet = bits 47..40. */
    public static void setU48(MemorySegment s, long off, long v) {
        s.set(BE16, off, (short) (v >>> 32));
        s.set(BE32, off + 2, (int) v);
    }

    public static void setU64(MemorySegment s, long off, long v) {
        s.set(BE64, off, v);
    }
}
