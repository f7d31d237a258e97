package org.jnft.flowtable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.jnft.conntrack.CtEntry;

/**
 * The flows of one flowtable and one address family: fixed-size records in one off-heap segment, both
 * directions of a flow in one record, and an open-addressing index holding each direction once (the
 * kernel's rhashtable of {@code flow_offload_tuple_rhash}, two per flow). Single writer: the data-plane
 * thread that owns the router. Lookups allocate nothing.
 *
 * <p>Record layout, A = address length (4 for IPv4, 16 for IPv6), direction d = 0 (ORIGINAL) or 1 (REPLY):
 * <pre>
 *  0        +--------------------------------------------+
 *           | src[d] (A) | dst[d] (A)  ... for d = 0, 1   |  the conntrack tuples: ORIGINAL, then REPLY
 *  4A       | ports[d]: sport &lt;&lt; 16 | dport (i32 x 2)     |
 *  4A+8     | iif[d]  (i32 x 2)                          |  input device of direction d (the key)
 *  4A+16    | oif[d]  (i32 x 2)                          |  output device of direction d
 *  4A+24    | mac[d]  (i64 x 2)                          |  next hop's MAC for direction d
 *  4A+40    | deadline (i64, ns on the engine clock)     |
 *  4A+48    | mtu[d] (u16 x 2) | proto u8 | flags u8 | u16 |
 *  4A+56    | fib generation (i32) | pad (i32)           |
 *  4A+64    | nexthop[d] (A x 2)                         |  gateway, or the destination after NAT
 *  6A+64    +--------------------------------------------+
 * </pre>
 * IPv4 addresses are stored as ints, IPv6 ones as two longs (hi, lo), in host order.
 */
public final class FlowStore {
    public static final int F_SNAT = 1;
    public static final int F_DNAT = 2;
    public static final int F_CLOSING = 4;
    public static final int F_TEARDOWN = 8;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    final int a;
    final int recSize;
    private final int oPorts;
    private final int oIif;
    private final int oOif;
    private final int oMac;
    private final int oDeadline;
    private final int oMtu;
    private final int oProto;
    private final int oFlags;
    private final int oFibGen;
    private final int oNexthop;
    private final int seed;

    private MemorySegment recs;
    private CtEntry[] cts;
    /** Free record ids, a stack. */
    private int[] free;
    private int freeTop;
    private int capacity;
    private int count;
    /** Index slots: (id << 1 | dir) + 1, 0 = empty; length a power of two, at most half full. */
    private int[] slots;
    private int mask;

    public FlowStore(boolean ipv6, int initialCapacity, int seed) {
        this.a = ipv6 ? 16 : 4;
        this.oPorts = 4 * a;
        this.oIif = oPorts + 8;
        this.oOif = oPorts + 16;
        this.oMac = oPorts + 24;
        this.oDeadline = oPorts + 40;
        this.oMtu = oPorts + 48;
        this.oProto = oPorts + 52;
        this.oFlags = oPorts + 53;
        this.oFibGen = oPorts + 56;
        this.oNexthop = oPorts + 64;
        this.recSize = oNexthop + 2 * a;
        this.seed = seed;
        allocate(Math.max(16, Integer.highestOneBit(Math.max(1, initialCapacity - 1)) << 1));
    }

    private void allocate(int cap) {
        MemorySegment old = recs;
        CtEntry[] oldCts = cts;
        int oldCap = capacity;
        recs = Arena.ofAuto().allocate((long) cap * recSize, 8);
        cts = new CtEntry[cap];
        if (old != null) {
            MemorySegment.copy(old, 0, recs, 0, (long) oldCap * recSize);
            System.arraycopy(oldCts, 0, cts, 0, oldCap);
        }
        int[] nf = new int[cap];
        int top = 0;
        for (int id = cap - 1; id >= oldCap; id--) {
            nf[top++] = id;
        }
        if (free != null) {
            // ids freed before growing are all below oldCap and still free: keep them on top
            System.arraycopy(free, 0, nf, top, freeTop);
            top += freeTop;
        }
        free = nf;
        freeTop = top;
        capacity = cap;
        slots = new int[cap * 4];
        mask = slots.length - 1;
        for (int id = 0; id < oldCap; id++) {
            if (cts[id] != null) {
                insertSlot(id, 0);
                insertSlot(id, 1);
            }
        }
    }

    public int count() {
        return count;
    }

    public boolean ipv6() {
        return a == 16;
    }

    /** Bytes of memory per flow at the current capacity: the record, its index slots and its entry reference. */
    public long bytesPerFlow() {
        return recSize + 4L * 4 + 4 + 4;
    }

    // ================================================================ allocation

    /** A fresh record id with every field zero (the caller fills it, then calls {@link #link}); grows as needed. */
    public int allocate() {
        if (freeTop == 0) {
            allocate(capacity * 2);
        }
        int id = free[--freeTop];
        recs.asSlice((long) id * recSize, recSize).fill((byte) 0);
        return id;
    }

    /** Indexes both directions of a filled record and binds it to its conntrack entry. */
    public void link(int id, CtEntry ct) {
        cts[id] = ct;
        count++;
        insertSlot(id, 0);
        insertSlot(id, 1);
    }

    /** Removes a flow from the index and frees its record. */
    public void remove(int id) {
        removeSlot(id, 0);
        removeSlot(id, 1);
        cts[id] = null;
        free[freeTop++] = id;
        count--;
    }

    public CtEntry ct(int id) {
        return cts[id];
    }

    /** The highest id that may be in use plus one (ids in use have a non-null {@link #ct}). */
    public int limit() {
        return capacity;
    }

    // ================================================================ hashing

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x7feb352d;
        h ^= h >>> 15;
        h *= 0x846ca68b;
        return h ^ (h >>> 16);
    }

    private int hash4(int src, int dst, int ports, int proto, int iif) {
        int h = seed;
        h = mix(h ^ src);
        h = mix(h ^ dst);
        h = mix(h ^ ports);
        return mix(h ^ (proto << 24) ^ iif);
    }

    private int hash6(long sh, long sl, long dh, long dl, int ports, int proto, int iif) {
        long x = sh * 0x9E3779B97F4A7C15L ^ sl;
        x = (x ^ (x >>> 29)) * 0xBF58476D1CE4E5B9L ^ dh;
        x = (x ^ (x >>> 31)) * 0x94D049BB133111EBL ^ dl;
        x ^= x >>> 32;
        return hash4((int) x, (int) (x >>> 32), ports, proto, iif);
    }

    private int hashOf(int id, int dir) {
        long r = (long) id * recSize;
        long t = r + (long) dir * 2 * a;
        int ports = recs.get(I32, r + oPorts + 4L * dir);
        int iif = recs.get(I32, r + oIif + 4L * dir);
        int proto = recs.get(I8, r + oProto) & 0xff;
        if (a == 4) {
            return hash4(recs.get(I32, t), recs.get(I32, t + 4), ports, proto, iif);
        }
        return hash6(recs.get(I64, t), recs.get(I64, t + 8), recs.get(I64, t + 16), recs.get(I64, t + 24), ports,
                proto, iif);
    }

    private void insertSlot(int id, int dir) {
        int i = hashOf(id, dir) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = ((id << 1) | dir) + 1;
    }

    /** Backward-shift deletion keeps linear probing's chains whole without tombstones. */
    private void removeSlot(int id, int dir) {
        int v = ((id << 1) | dir) + 1;
        int i = hashOf(id, dir) & mask;
        while (slots[i] != v) {
            i = (i + 1) & mask;
        }
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int s = slots[j];
            if (s == 0) {
                break;
            }
            int home = hashOf((s - 1) >>> 1, (s - 1) & 1) & mask;
            // move s into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                slots[hole] = s;
                hole = j;
            }
        }
        slots[hole] = 0;
    }

    /**
     * Finds the direction whose tuple is (src, dst, ports, proto) arriving on {@code iif}: returns
     * {@code id << 1 | dir}, or -1.
     */
    public int lookup4(int src, int dst, int ports, int proto, int iif) {
        int i = hash4(src, dst, ports, proto, iif) & mask;
        MemorySegment m = recs;
        while (true) {
            int s = slots[i];
            if (s == 0) {
                return -1;
            }
            int ref = s - 1;
            int dir = ref & 1;
            long r = (long) (ref >>> 1) * recSize;
            long t = r + 8L * dir;
            if (m.get(I32, t) == src && m.get(I32, t + 4) == dst && m.get(I32, r + oPorts + 4L * dir) == ports
                    && m.get(I32, r + oIif + 4L * dir) == iif && (m.get(I8, r + oProto) & 0xff) == proto) {
                return ref;
            }
            i = (i + 1) & mask;
        }
    }

    /** IPv6 {@link #lookup4}. */
    public int lookup6(long sh, long sl, long dh, long dl, int ports, int proto, int iif) {
        int i = hash6(sh, sl, dh, dl, ports, proto, iif) & mask;
        MemorySegment m = recs;
        while (true) {
            int s = slots[i];
            if (s == 0) {
                return -1;
            }
            int ref = s - 1;
            int dir = ref & 1;
            long r = (long) (ref >>> 1) * recSize;
            long t = r + 32L * dir;
            if (m.get(I64, t + 8) == sl && m.get(I64, t + 24) == dl && m.get(I64, t) == sh && m.get(I64, t + 16) == dh
                    && m.get(I32, r + oPorts + 4L * dir) == ports && m.get(I32, r + oIif + 4L * dir) == iif
                    && (m.get(I8, r + oProto) & 0xff) == proto) {
                return ref;
            }
            i = (i + 1) & mask;
        }
    }

    // ================================================================ fields

    private long rec(int id) {
        return (long) id * recSize;
    }

    /** IPv4 source of direction {@code dir}'s tuple. */
    public int src4(int id, int dir) {
        return recs.get(I32, rec(id) + 8L * dir);
    }

    public int dst4(int id, int dir) {
        return recs.get(I32, rec(id) + 8L * dir + 4);
    }

    public void tuple4(int id, int dir, int src, int dst) {
        recs.set(I32, rec(id) + 8L * dir, src);
        recs.set(I32, rec(id) + 8L * dir + 4, dst);
    }

    /** IPv6 address word: {@code which} 0 = src hi, 1 = src lo, 2 = dst hi, 3 = dst lo. */
    public long addr6(int id, int dir, int which) {
        return recs.get(I64, rec(id) + 32L * dir + 8L * which);
    }

    public void tuple6(int id, int dir, long sh, long sl, long dh, long dl) {
        long t = rec(id) + 32L * dir;
        recs.set(I64, t, sh);
        recs.set(I64, t + 8, sl);
        recs.set(I64, t + 16, dh);
        recs.set(I64, t + 24, dl);
    }

    /** sport << 16 | dport of a direction. */
    public int ports(int id, int dir) {
        return recs.get(I32, rec(id) + oPorts + 4L * dir);
    }

    public void ports(int id, int dir, int sport, int dport) {
        recs.set(I32, rec(id) + oPorts + 4L * dir, (sport << 16) | (dport & 0xffff));
    }

    public int iif(int id, int dir) {
        return recs.get(I32, rec(id) + oIif + 4L * dir);
    }

    public void iif(int id, int dir, int ifindex) {
        recs.set(I32, rec(id) + oIif + 4L * dir, ifindex);
    }

    public int oif(int id, int dir) {
        return recs.get(I32, rec(id) + oOif + 4L * dir);
    }

    public void oif(int id, int dir, int ifindex) {
        recs.set(I32, rec(id) + oOif + 4L * dir, ifindex);
    }

    public long mac(int id, int dir) {
        return recs.get(I64, rec(id) + oMac + 8L * dir);
    }

    public void mac(int id, int dir, long mac) {
        recs.set(I64, rec(id) + oMac + 8L * dir, mac);
    }

    public long deadline(int id) {
        return recs.get(I64, rec(id) + oDeadline);
    }

    public void deadline(int id, long ns) {
        recs.set(I64, rec(id) + oDeadline, ns);
    }

    public int mtu(int id, int dir) {
        return recs.get(I16, rec(id) + oMtu + 2L * dir) & 0xffff;
    }

    public void mtu(int id, int dir, int mtu) {
        recs.set(I16, rec(id) + oMtu + 2L * dir, (short) Math.min(mtu, 0xffff));
    }

    public int proto(int id) {
        return recs.get(I8, rec(id) + oProto) & 0xff;
    }

    public void proto(int id, int proto) {
        recs.set(I8, rec(id) + oProto, (byte) proto);
    }

    public int flags(int id) {
        return recs.get(I8, rec(id) + oFlags) & 0xff;
    }

    public void flags(int id, int flags) {
        recs.set(I8, rec(id) + oFlags, (byte) flags);
    }

    public int fibGeneration(int id) {
        return recs.get(I32, rec(id) + oFibGen);
    }

    public void fibGeneration(int id, int gen) {
        recs.set(I32, rec(id) + oFibGen, gen);
    }

    public int nexthop4(int id, int dir) {
        return recs.get(I32, rec(id) + oNexthop + 4L * dir);
    }

    public long nexthop6(int id, int dir, boolean lo) {
        return recs.get(I64, rec(id) + oNexthop + 16L * dir + (lo ? 8 : 0));
    }

    public void nexthop4(int id, int dir, int addr) {
        recs.set(I32, rec(id) + oNexthop + 4L * dir, addr);
    }

    public void nexthop6(int id, int dir, long hi, long lo) {
        recs.set(I64, rec(id) + oNexthop + 16L * dir, hi);
        recs.set(I64, rec(id) + oNexthop + 16L * dir + 8, lo);
    }
}
