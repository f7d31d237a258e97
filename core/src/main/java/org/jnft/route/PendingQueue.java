package org.jnft.route;

import java.util.Arrays;

/**
 * The per-neighbour FIFOs of packets waiting for resolution (Linux's {@code arp_queue}), indexed by entry id,
 * chained through the {@link PacketPool}'s links. Each packet counts its {@link #truesize}; the table drops
 * from the head to keep a queue within {@code unres_qlen_bytes}. Allocates nothing but when the table grows.
 */
final class PendingQueue {
    /**
     * What one queued packet counts against {@code unres_qlen_bytes}: Linux counts {@code skb->truesize},
     * which depends on the driver that received the packet; jnft counts SKB_TRUESIZE of the Ethernet frame
     * the packet will become on x86-64: L3 length + 14 + 256 (struct sk_buff) + 320 (skb_shared_info). A
     * full 1514-byte frame thus counts 2090 bytes, which is how Linux converts unres_qlen (101) to bytes.
     */
    static int truesize(int l3len) {
        return l3len + 14 + 256 + 320;
    }

    private final PacketPool pool;
    private int[] head;
    private int[] tail;
    private int[] count;
    private long[] bytes;

    PendingQueue(PacketPool pool, int capacity) {
        this.pool = pool;
        head = new int[capacity];
        tail = new int[capacity];
        count = new int[capacity];
        bytes = new long[capacity];
        Arrays.fill(head, -1);
        Arrays.fill(tail, -1);
    }

    void grow(int capacity) {
        int old = head.length;
        head = Arrays.copyOf(head, capacity);
        tail = Arrays.copyOf(tail, capacity);
        count = Arrays.copyOf(count, capacity);
        bytes = Arrays.copyOf(bytes, capacity);
        Arrays.fill(head, old, capacity, -1);
        Arrays.fill(tail, old, capacity, -1);
    }

    void append(int e, int h) {
        pool.next(h, -1);
        if (tail[e] < 0) {
            head[e] = h;
        } else {
            pool.next(tail[e], h);
        }
        tail[e] = h;
        count[e]++;
        bytes[e] += truesize(pool.get(h).length());
    }

    /** Unlinks and returns the oldest packet of E's queue, -1 if empty (the caller releases the handle). */
    int poll(int e) {
        int h = head[e];
        if (h < 0) {
            return -1;
        }
        head[e] = pool.next(h);
        if (head[e] < 0) {
            tail[e] = -1;
        }
        count[e]--;
        bytes[e] -= truesize(pool.get(h).length());
        return h;
    }

    /** The newest packet of E's queue, -1 if empty. */
    int tail(int e) {
        return tail[e];
    }

    int count(int e) {
        return count[e];
    }

    long bytes(int e) {
        return bytes[e];
    }
}
