package org.jnft.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The neighbour table's entries (Linux's struct neighbour and neigh_table's hash): a struct of arrays indexed
 * by entry id, an open-addressing index keyed by (family, ifindex, address), the free ids, and per family the
 * entry counts and the list of GC-able entries in creation order (Linux's gc_list). Storage only: states and
 * timers change in {@link NudMachine}, entries come and go through {@link NeighbourGc}.
 *
 * <p>The arrays are package-private fields, read through this object on every access: they are replaced
 * when the table grows (which also grows the {@link PendingQueue} and {@link TimerHeap} indexed by the same
 * ids), so a caller never keeps one in a local across a call that may create an entry.
 */
final class NeighbourEntries {
    private final NeighbourParams[] params;
    private final PendingQueue queue;
    private final TimerHeap timers;

    int capacity;
    boolean[] live;
    boolean[] six;
    int[] ifx;
    long[] khi;
    long[] klo;
    NetDevice[] dev;
    long[] mac;
    int[] state;
    boolean[] router;
    long[] updated;
    long[] used;
    long[] confirmed;
    int[] probes;
    /** Bumped when an entry is created or freed: a callback that re-entered the table is detected by it. */
    int[] gen;
    private int[] gcPrev;
    private int[] gcNext;
    private int[] freeIds;
    private int freeTop;
    // open addressing index: entry id + 1, 0 = empty
    private int[] slots;
    private int mask;

    // per family (0 = IPv4, 1 = IPv6)
    /** Entries, PERMANENT ones included (tbl->entries). */
    final int[] count = new int[2];
    /** Entries on the GC list (tbl->gc_entries). */
    final int[] gcCount = new int[2];
    private final int[] gcHead = {-1, -1};
    private final int[] gcTail = {-1, -1};

    NeighbourEntries(NeighbourParams[] params, PendingQueue queue, TimerHeap timers, int cap) {
        this.params = params;
        this.queue = queue;
        this.timers = timers;
        allocate(cap);
    }

    private void allocate(int cap) {
        int old = capacity;
        capacity = cap;
        live = Arrays.copyOf(live == null ? new boolean[0] : live, cap);
        six = Arrays.copyOf(six == null ? new boolean[0] : six, cap);
        ifx = Arrays.copyOf(ifx == null ? new int[0] : ifx, cap);
        khi = Arrays.copyOf(khi == null ? new long[0] : khi, cap);
        klo = Arrays.copyOf(klo == null ? new long[0] : klo, cap);
        dev = Arrays.copyOf(dev == null ? new NetDevice[0] : dev, cap);
        mac = Arrays.copyOf(mac == null ? new long[0] : mac, cap);
        state = Arrays.copyOf(state == null ? new int[0] : state, cap);
        router = Arrays.copyOf(router == null ? new boolean[0] : router, cap);
        updated = Arrays.copyOf(updated == null ? new long[0] : updated, cap);
        used = Arrays.copyOf(used == null ? new long[0] : used, cap);
        confirmed = Arrays.copyOf(confirmed == null ? new long[0] : confirmed, cap);
        probes = Arrays.copyOf(probes == null ? new int[0] : probes, cap);
        gen = Arrays.copyOf(gen == null ? new int[0] : gen, cap);
        gcPrev = Arrays.copyOf(gcPrev == null ? new int[0] : gcPrev, cap);
        gcNext = Arrays.copyOf(gcNext == null ? new int[0] : gcNext, cap);
        int[] oldFree = freeIds == null ? new int[0] : freeIds;
        freeIds = new int[cap];
        System.arraycopy(oldFree, 0, freeIds, 0, freeTop);
        for (int id = cap - 1; id >= old; id--) {
            freeIds[freeTop++] = id;
        }
        if (old > 0) {
            queue.grow(cap);
            timers.grow(cap);
        }
        int size = Integer.highestOneBit(cap * 2 - 1) * 2;
        slots = new int[size];
        mask = size - 1;
        for (int id = 0; id < old; id++) {
            if (live[id]) {
                insertSlot(id);
            }
        }
    }

    /** The index of family V6 in the per-family arrays. */
    static int family(boolean v6) {
        return v6 ? 1 : 0;
    }

    /** The parameters of E's family. */
    NeighbourParams params(int e) {
        return params[six[e] ? 1 : 0];
    }

    // ------------------------------------------------------------------ entries

    /**
     * A NONE entry for (V6, DEVICE, HI, LO), indexed and counted but not on the GC list (neigh_alloc's
     * initialisation; the table doubles when no id is free).
     */
    int newEntry(boolean v6, NetDevice device, long hi, long lo, long now) {
        if (freeTop == 0) {
            allocate(capacity * 2);
        }
        int e = freeIds[--freeTop];
        live[e] = true;
        six[e] = v6;
        ifx[e] = device.ifindex();
        khi[e] = hi;
        klo[e] = lo;
        dev[e] = device;
        mac[e] = 0;
        state[e] = NudState.NONE;
        router[e] = false;
        updated[e] = now;
        used[e] = now;
        confirmed[e] = now - 2 * params[family(v6)].baseReachableTime();
        probes[e] = 0;
        gcPrev[e] = -1;
        gcNext[e] = -1;
        gen[e]++;
        insertSlot(e);
        count[family(v6)]++;
        return e;
    }

    /** Frees E's id (the end of neigh_release): out of the index and the GC list. Its queue must be empty. */
    void free(int e) {
        deleteSlot(e);
        if (state[e] != NudState.PERMANENT) {
            gcUnlink(e);
        }
        live[e] = false;
        dev[e] = null;
        gen[e]++;
        count[family(six[e])]--;
        freeIds[freeTop++] = e;
    }

    // ------------------------------------------------------------------ GC list

    /** The head of family F's GC list (oldest created first), -1 when empty; {@link #gcNext} walks it. */
    int gcFirst(int f) {
        return gcHead[f];
    }

    int gcNext(int e) {
        return gcNext[e];
    }

    /** Appends E to its family's GC list. */
    void gcLink(int e) {
        int f = family(six[e]);
        gcCount[f]++;
        gcPrev[e] = gcTail[f];
        gcNext[e] = -1;
        if (gcTail[f] < 0) {
            gcHead[f] = e;
        } else {
            gcNext[gcTail[f]] = e;
        }
        gcTail[f] = e;
    }

    /** Takes E off its family's GC list (it becomes PERMANENT, or is freed); no-op when not on it. */
    void gcUnlink(int e) {
        if (state[e] == NudState.PERMANENT) {
            return;
        }
        int f = family(six[e]);
        if (gcPrev[e] < 0 && gcHead[f] != e) {
            return; // not on the list
        }
        if (gcPrev[e] < 0) {
            gcHead[f] = gcNext[e];
        } else {
            gcNext[gcPrev[e]] = gcNext[e];
        }
        if (gcNext[e] < 0) {
            gcTail[f] = gcPrev[e];
        } else {
            gcPrev[gcNext[e]] = gcPrev[e];
        }
        gcPrev[e] = -1;
        gcNext[e] = -1;
        gcCount[f]--;
    }

    // ------------------------------------------------------------------ hash index

    private static int hash(boolean v6, int ifindex, long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L + lo) * 0xC2B2AE3D27D4EB4FL + ifindex * 0x165667B19E3779F9L
                + (v6 ? 0x27D4EB2F165667C5L : 0);
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 32));
    }

    /** The entry for (V6, IFINDEX, HI, LO), -1 when none (neigh_lookup). */
    int find(boolean v6, int ifindex, long hi, long lo) {
        for (int i = hash(v6, ifindex, hi, lo) & mask; slots[i] != 0; i = (i + 1) & mask) {
            int e = slots[i] - 1;
            if (klo[e] == lo && khi[e] == hi && ifx[e] == ifindex && six[e] == v6) {
                return e;
            }
        }
        return -1;
    }

    private void insertSlot(int e) {
        int i = hash(six[e], ifx[e], khi[e], klo[e]) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = e + 1;
    }

    private void deleteSlot(int e) {
        int i = hash(six[e], ifx[e], khi[e], klo[e]) & mask;
        while (slots[i] != e + 1) {
            i = (i + 1) & mask;
        }
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (slots[j] == 0) {
                break;
            }
            int o = slots[j] - 1;
            int home = hash(six[o], ifx[o], khi[o], klo[o]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = 0;
    }

    // ------------------------------------------------------------------ listing

    /** {@code ip neigh show}: see {@link NeighbourTable#list()}. */
    String list() {
        List<Integer> ids = new ArrayList<>();
        for (int e = 0; e < capacity; e++) {
            if (live[e] && state[e] != NudState.NONE) {
                ids.add(e);
            }
        }
        ids.sort((a, b) -> {
            int c = Boolean.compare(six[a], six[b]);
            if (c == 0) {
                c = Integer.compare(ifx[a], ifx[b]);
            }
            if (c == 0) {
                c = Long.compareUnsigned(khi[a], khi[b]);
            }
            if (c == 0) {
                c = Long.compareUnsigned(klo[a], klo[b]);
            }
            return c;
        });
        StringBuilder sb = new StringBuilder();
        for (int e : ids) {
            sb.append(six[e] ? Inet.format6(khi[e], klo[e]) : Inet.format4((int) klo[e]));
            sb.append(" dev ").append(dev[e].name());
            if ((state[e] & NudState.VALID) != 0) {
                sb.append(" lladdr ").append(Inet.formatMac(mac[e]));
            }
            if (router[e]) {
                sb.append(" router");
            }
            sb.append(' ').append(NudState.name(state[e])).append('\n');
        }
        return sb.toString();
    }
}
