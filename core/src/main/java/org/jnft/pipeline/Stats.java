package org.jnft.pipeline;

/**
 * Per-device packet counters and per-reason drop counters, as {@code ip -s link} and the kernel's drop
 * monitor see them. Plain arrays: one writer (the data-plane thread), read by the control plane at a dump.
 */
public final class Stats {
    /** Per ifindex i, at 4i: received packets, received bytes, sent packets, sent bytes (one cache line per two devices). */
    private final long[] link;
    private final long[] dropped;
    private final long[] reasons = new long[DropReason.count()];

    /** @param maxIfindex the largest interface index that will be counted */
    public Stats(int maxIfindex) {
        int n = maxIfindex + 1;
        link = new long[4 * n];
        dropped = new long[n];
    }

    public void rx(int ifindex, int bytes) {
        long[] l = link;
        l[4 * ifindex]++;
        l[4 * ifindex + 1] += bytes;
    }

    public void tx(int ifindex, int bytes) {
        long[] l = link;
        l[4 * ifindex + 2]++;
        l[4 * ifindex + 3] += bytes;
    }

    /** A frame received on {@code ifindex} (0 for one the router made itself) was dropped. */
    public void drop(int ifindex, DropReason reason) {
        if (ifindex > 0 && ifindex < dropped.length) {
            dropped[ifindex]++;
        }
        reasons[reason.ordinal()]++;
    }

    /** {@code n} frames of {@code ifindex} dropped for one reason (counted in bulk by the daemon's links). */
    public void drop(int ifindex, DropReason reason, long n) {
        if (ifindex > 0 && ifindex < dropped.length) {
            dropped[ifindex] += n;
        }
        reasons[reason.ordinal()] += n;
    }

    public long rxPackets(int ifindex) { return link[4 * ifindex]; }
    public long rxBytes(int ifindex) { return link[4 * ifindex + 1]; }
    public long txPackets(int ifindex) { return link[4 * ifindex + 2]; }
    public long txBytes(int ifindex) { return link[4 * ifindex + 3]; }
    public long dropped(int ifindex) { return dropped[ifindex]; }
    public long drops(DropReason reason) { return reasons[reason.ordinal()]; }
}
