package org.jnft.pipeline;

/**
 * Per-device packet counters and per-reason drop counters, as {@code ip -s link} and the kernel's drop
 * monitor see them. Plain arrays: one writer (the data-plane thread), read by the control plane at a dump.
 */
public final class Stats {
    private final long[] rxPackets;
    private final long[] rxBytes;
    private final long[] txPackets;
    private final long[] txBytes;
    private final long[] dropped;
    private final long[] reasons = new long[DropReason.count()];

    /** @param maxIfindex the largest interface index that will be counted */
    public Stats(int maxIfindex) {
        int n = maxIfindex + 1;
        rxPackets = new long[n];
        rxBytes = new long[n];
        txPackets = new long[n];
        txBytes = new long[n];
        dropped = new long[n];
    }

    public void rx(int ifindex, int bytes) {
        rxPackets[ifindex]++;
        rxBytes[ifindex] += bytes;
    }

    public void tx(int ifindex, int bytes) {
        txPackets[ifindex]++;
        txBytes[ifindex] += bytes;
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

    public long rxPackets(int ifindex) { return rxPackets[ifindex]; }
    public long rxBytes(int ifindex) { return rxBytes[ifindex]; }
    public long txPackets(int ifindex) { return txPackets[ifindex]; }
    public long txBytes(int ifindex) { return txBytes[ifindex]; }
    public long dropped(int ifindex) { return dropped[ifindex]; }
    public long drops(DropReason reason) { return reasons[reason.ordinal()]; }
}
