package org.jnft.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reusable holder for one packet on the data plane: a native segment of fixed capacity in which the
 * frame occupies {@code [offset, offset + length)}. The frame is loaded at {@link #headroom()} bytes from
 * the start, so headers (a VLAN tag, a tunnel header) can be pushed in front without moving the payload.
 * Nothing allocates after construction.
 *
 * <pre>
 *  0            offset                     offset+length        capacity
 *  |-- headroom --|========== frame ===========|------ tailroom ------|
 * </pre>
 *
 * Parse with {@code PacketParser.parse(buf.segment(), buf.offset(), buf.length(), info)}: the offsets in
 * the {@link PacketInfo} are then absolute in {@link #segment()}, ready for the views. Misuse (a frame larger
 * than the capacity, pushing past the start) throws, since it is a programming error, not bad input.
 */
public final class PacketBuffer {
    /** Headroom {@link #load} leaves in front of the frame. */
    public static final int DEFAULT_HEADROOM = 128;
    /** A capacity that holds any frame of a 64 KiB IP datagram plus link headers and headroom. */
    public static final int DEFAULT_CAPACITY = 65536 + 256;

    private final MemorySegment seg;
    private final int capacity;
    private final int headroom;
    private int offset;
    private int length;

    /** Input interface index (set by the link that received the frame). */
    public int ifindex;
    /** Receive time, nanoseconds on the engine's clock. */
    public long timestamp;

    /** A buffer of {@code capacity} bytes with {@link #DEFAULT_HEADROOM}, in an automatic arena. */
    public PacketBuffer(int capacity) {
        this(Arena.ofAuto(), capacity, DEFAULT_HEADROOM);
    }

    /** A buffer allocated in {@code arena} (64-byte aligned) with the given headroom. */
    public PacketBuffer(Arena arena, int capacity, int headroom) {
        if (capacity <= headroom || headroom < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " must exceed headroom " + headroom);
        }
        this.seg = arena.allocate(capacity, 64);
        this.capacity = capacity;
        this.headroom = headroom;
        this.offset = headroom;
    }

    /** The whole backing segment. */
    public MemorySegment segment() {
        return seg;
    }

    public int capacity() {
        return capacity;
    }

    public int headroom() {
        return headroom;
    }

    /** Where the frame starts in {@link #segment()}. */
    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Sets the frame's position directly. */
    public void set(int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > capacity) {
            throw new IndexOutOfBoundsException("frame [" + offset + ", +" + length + ") outside capacity " + capacity);
        }
        this.offset = offset;
        this.length = length;
    }

    /** Copies a frame in at the default headroom. */
    public void load(byte[] frame) {
        load(frame, frame.length);
    }

    /** Copies the first {@code len} bytes of {@code frame} in at the default headroom. */
    public void load(byte[] frame, int len) {
        set(headroom, checkFits(len));
        MemorySegment.copy(frame, 0, seg, ValueLayout.JAVA_BYTE, headroom, len);
    }

    /** Copies {@code len} bytes of {@code src} at {@code off} in at the default headroom. */
    public void load(MemorySegment src, long off, int len) {
        set(headroom, checkFits(len));
        MemorySegment.copy(src, off, seg, headroom, len);
    }

    private int checkFits(int len) {
        if (len < 0 || len > capacity - headroom) {
            throw new IllegalArgumentException("frame of " + len + " bytes does not fit a buffer of "
                    + (capacity - headroom) + " bytes after the headroom");
        }
        return len;
    }

    /** Grows the frame at the front by {@code n} bytes (the new bytes are left as they are). */
    public void push(int n) {
        if (n < 0 || n > offset) {
            throw new IndexOutOfBoundsException("cannot push " + n + " bytes with " + offset + " bytes of headroom");
        }
        offset -= n;
        length += n;
    }

    /** Removes {@code n} bytes from the front of the frame. */
    public void pull(int n) {
        if (n < 0 || n > length) {
            throw new IndexOutOfBoundsException("cannot pull " + n + " bytes from a frame of " + length);
        }
        offset += n;
        length -= n;
    }

    /** Sets the frame length (trim or extend into the tailroom). */
    public void length(int n) {
        set(offset, n);
    }

    /** A copy of the frame (allocates; for tests and file writers). */
    public byte[] toArray() {
        byte[] b = new byte[length];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, offset, b, 0, length);
        return b;
    }

    /** Forgets the frame and the metadata (offset back at the headroom, length 0). */
    public void reset() {
        offset = headroom;
        length = 0;
        ifindex = 0;
        timestamp = 0;
    }
}
