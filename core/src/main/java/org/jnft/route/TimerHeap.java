package org.jnft.route;

import java.util.Arrays;

/**
 * An indexed binary min-heap of per-entry deadlines: at most one timer per entry id, ordered by deadline,
 * then by the order in which the timers were armed (so that timers due at the same instant fire in a
 * reproducible order). Arming, cancelling and taking the earliest are O(log n) and allocate nothing.
 */
final class TimerHeap {
    private int[] heap;      // heap position -> entry id
    private int[] pos;       // entry id -> heap position, -1 when not armed
    private long[] deadline; // by entry id
    private long[] seq;      // by entry id
    private int size;
    private long counter;

    TimerHeap(int capacity) {
        heap = new int[capacity];
        pos = new int[capacity];
        deadline = new long[capacity];
        seq = new long[capacity];
        Arrays.fill(pos, -1);
    }

    void grow(int capacity) {
        int old = pos.length;
        heap = Arrays.copyOf(heap, capacity);
        pos = Arrays.copyOf(pos, capacity);
        deadline = Arrays.copyOf(deadline, capacity);
        seq = Arrays.copyOf(seq, capacity);
        Arrays.fill(pos, old, capacity, -1);
    }

    boolean armed(int e) {
        return pos[e] >= 0;
    }

    long deadline(int e) {
        return pos[e] >= 0 ? deadline[e] : Long.MAX_VALUE;
    }

    /** Arms (or re-arms) E's timer at WHEN. */
    void arm(int e, long when) {
        if (pos[e] >= 0) {
            cancel(e);
        }
        deadline[e] = when;
        seq[e] = counter++;
        int i = size++;
        heap[i] = e;
        pos[e] = i;
        up(i);
    }

    void cancel(int e) {
        int i = pos[e];
        if (i < 0) {
            return;
        }
        pos[e] = -1;
        int last = heap[--size];
        if (i < size) {
            heap[i] = last;
            pos[last] = i;
            if (!up(i)) {
                down(i);
            }
        }
    }

    /** The earliest deadline, Long.MAX_VALUE when no timer is armed. */
    long peekDeadline() {
        return size == 0 ? Long.MAX_VALUE : deadline[heap[0]];
    }

    /** The entry whose timer is earliest, -1 when none. */
    int peek() {
        return size == 0 ? -1 : heap[0];
    }

    int size() {
        return size;
    }

    private boolean less(int a, int b) {
        return deadline[a] < deadline[b] || (deadline[a] == deadline[b] && seq[a] < seq[b]);
    }

    private boolean up(int i) {
        boolean moved = false;
        int e = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(e, heap[p])) {
                break;
            }
            heap[i] = heap[p];
            pos[heap[i]] = i;
            i = p;
            moved = true;
        }
        heap[i] = e;
        pos[e] = i;
        return moved;
    }

    private void down(int i) {
        int e = heap[i];
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                break;
            }
            int c = l + 1 < size && less(heap[l + 1], heap[l]) ? l + 1 : l;
            if (!less(heap[c], e)) {
                break;
            }
            heap[i] = heap[c];
            pos[heap[i]] = i;
            i = c;
        }
        heap[i] = e;
        pos[e] = i;
    }
}
