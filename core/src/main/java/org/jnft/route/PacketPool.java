package org.jnft.route;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.jnft.packet.PacketBuffer;

/**
 * A pool of {@link PacketBuffer}s for packets waiting on a neighbour, in power-of-two size classes (256 bytes
 * to 128 KiB, headroom included), named by int handles. A buffer is created the first time its class runs
 * dry and is reused forever after: in steady state acquiring and releasing allocate nothing. The native
 * memory the pool may create is bounded by a budget; past it {@link #acquire} fails.
 *
 * <p>Each handle also carries a {@code next} link, which {@link PendingQueue} uses to chain queued packets.
 */
final class PacketPool {
    /** Headroom before the L3 packet in every pooled buffer: Ethernet plus two VLAN tags, and more. */
    static final int HEADROOM = 64;
    private static final int MIN_SHIFT = 8;
    private static final int MAX_SHIFT = 17;

    private final Arena arena = Arena.ofAuto();
    private final long budget;
    private long created;
    private PacketBuffer[] bufs = new PacketBuffer[64];
    private int[] next = new int[64];
    private int[] cls = new int[64];
    private int count;
    private final int[] free = new int[MAX_SHIFT + 1];
    private int inUse;

    /** A pool that may create up to BUDGET bytes of buffers; PREALLOC buffers of 2 KiB are made now. */
    PacketPool(long budget, int prealloc) {
        this.budget = budget;
        Arrays.fill(free, -1);
        int[] h = new int[prealloc];
        for (int i = 0; i < prealloc; i++) {
            h[i] = acquire(1500);
        }
        for (int i = 0; i < prealloc; i++) {
            if (h[i] >= 0) {
                release(h[i]);
            }
        }
    }

    /** The largest L3 packet the pool can hold. */
    static int maxPacket() {
        return (1 << MAX_SHIFT) - HEADROOM;
    }

    private static int classOf(int len) {
        int need = len + HEADROOM;
        int shift = 32 - Integer.numberOfLeadingZeros(need - 1);
        return Math.max(MIN_SHIFT, shift);
    }

    /** A buffer for an L3 packet of LEN bytes (frame set to [HEADROOM, +LEN)), or -1 when over budget. */
    int acquire(int len) {
        if (len < 0 || len > maxPacket()) {
            return -1;
        }
        int c = classOf(len);
        int h = free[c];
        if (h >= 0) {
            free[c] = next[h];
        } else {
            long size = 1L << c;
            if (created + size > budget) {
                return -1;
            }
            if (count == bufs.length) {
                bufs = Arrays.copyOf(bufs, count * 2);
                next = Arrays.copyOf(next, count * 2);
                cls = Arrays.copyOf(cls, count * 2);
            }
            h = count++;
            bufs[h] = new PacketBuffer(arena, (int) size, HEADROOM);
            cls[h] = c;
            created += size;
        }
        next[h] = -1;
        bufs[h].reset();
        bufs[h].set(HEADROOM, len);
        inUse++;
        return h;
    }

    /** Copies [off, off+len) of SEG into a new buffer; -1 when over budget. */
    int copyOf(MemorySegment seg, long off, int len) {
        int h = acquire(len);
        if (h >= 0) {
            MemorySegment.copy(seg, off, bufs[h].segment(), HEADROOM, len);
        }
        return h;
    }

    PacketBuffer get(int h) {
        return bufs[h];
    }

    void release(int h) {
        int c = cls[h];
        next[h] = free[c];
        free[c] = h;
        inUse--;
    }

    int next(int h) {
        return next[h];
    }

    void next(int h, int n) {
        next[h] = n;
    }

    /** Buffers handed out and not yet released. */
    int inUse() {
        return inUse;
    }

    /** Bytes of buffers created so far. */
    long createdBytes() {
        return created;
    }
}
