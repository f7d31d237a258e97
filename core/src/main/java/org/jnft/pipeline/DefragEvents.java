package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;

/**
 * What reassembly reports besides the verdict on the fragment at hand: queued fragments that Linux frees
 * with a drop reason, and timed-out queues whose first fragment had arrived (for the ICMP error).
 * Implementations must not allocate and must not call back into the defragmenter.
 */
public interface DefragEvents {
    /**
     * {@code count} fragments queued earlier were freed with a drop reason: {@link DefragResult#TIMEOUT}
     * (Linux's FRAG_REASM_TIMEOUT) when their queue expired, {@link DefragResult#TOO_FAR} (FRAG_TOO_FAR)
     * when ipfrag_max_dist restarted the queue. {@code ifindex} is the device of the queue's last fragment.
     */
    void fragmentsDropped(int ifindex, int reason, int count);

    /**
     * A queue expired after its first fragment had arrived: the first fragment's IP datagram, as received
     * (trimmed to the bytes reassembly kept), is at {@code [l3, l3 + length)} of {@code seg} during the call.
     * Linux (ip_expire / ip6frag_expire_frag_queue) then sends ICMP time exceeded, code 1 (fragment
     * reassembly time exceeded) from it: IPv4 only when {@link Ipv4Defrag#expireSkipsIcmp(int) the user}
     * is not conntrack's or the route to its destination is local; IPv6 always (when the device
     * {@code iif} still exists).
     *
     * @param user the defrag user (conntrack hook and zone) of the queue
     * @param iif  the device of the queue's last fragment
     */
    void reassemblyTimeout(int user, int iif, MemorySegment seg, long l3, int length);

    /** Ignores everything. */
    DefragEvents NONE = new DefragEvents() {
        @Override
        public void fragmentsDropped(int ifindex, int reason, int count) {
        }

        @Override
        public void reassemblyTimeout(int user, int iif, MemorySegment seg, long l3, int length) {
        }
    };
}
