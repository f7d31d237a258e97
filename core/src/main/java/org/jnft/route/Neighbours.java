package org.jnft.route;

/**
 * Neighbour table: MAC addresses keyed by (ifindex, IPv4 address) and (ifindex, IPv6 address). Holds the
 * NET file's static entries; ARP/NDP resolution will add and remove entries through {@link #put4} etc.
 * Open addressing with linear probing and backward-shift deletion; lookups allocate nothing.
 * Not thread-safe: the data plane that owns it mutates it.
 */
public final class Neighbours {
    /** What lookups return when there is no entry. */
    public static final long NONE = -1L;

    // IPv4: key = ifindex << 32 | addr
    private long[] keys4 = new long[16];
    private long[] macs4 = new long[16];
    private boolean[] used4 = new boolean[16];
    private int size4;
    // IPv6
    private int[] ifx6 = new int[16];
    private long[] hi6 = new long[16];
    private long[] lo6 = new long[16];
    private long[] macs6 = new long[16];
    private boolean[] used6 = new boolean[16];
    private int size6;

    public Neighbours() {
    }

    private static int hash4(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private static int hash6(int ifx, long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L + lo) * 0xC2B2AE3D27D4EB4FL + ifx;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    // ------------------------------------------------------------------ IPv4

    /** The MAC of IPv4 neighbour ADDR on IFINDEX, or {@link #NONE}. */
    public long lookup4(int ifindex, int addr) {
        long key = (long) ifindex << 32 | (addr & 0xFFFFFFFFL);
        int m = keys4.length - 1;
        for (int i = hash4(key) & m; used4[i]; i = (i + 1) & m) {
            if (keys4[i] == key) {
                return macs4[i];
            }
        }
        return NONE;
    }

    /** Adds or replaces the entry for (IFINDEX, ADDR). */
    public void put4(int ifindex, int addr, long mac) {
        if ((size4 + 1) * 2 > keys4.length) {
            long[] ok = keys4;
            long[] om = macs4;
            boolean[] ou = used4;
            keys4 = new long[ok.length * 2];
            macs4 = new long[ok.length * 2];
            used4 = new boolean[ok.length * 2];
            size4 = 0;
            for (int i = 0; i < ok.length; i++) {
                if (ou[i]) {
                    insert4(ok[i], om[i]);
                }
            }
        }
        insert4((long) ifindex << 32 | (addr & 0xFFFFFFFFL), mac & 0xFFFF_FFFF_FFFFL);
    }

    private void insert4(long key, long mac) {
        int m = keys4.length - 1;
        int i = hash4(key) & m;
        while (used4[i]) {
            if (keys4[i] == key) {
                macs4[i] = mac;
                return;
            }
            i = (i + 1) & m;
        }
        used4[i] = true;
        keys4[i] = key;
        macs4[i] = mac;
        size4++;
    }

    /** Removes the entry for (IFINDEX, ADDR); returns whether there was one. */
    public boolean remove4(int ifindex, int addr) {
        long key = (long) ifindex << 32 | (addr & 0xFFFFFFFFL);
        int m = keys4.length - 1;
        int i = hash4(key) & m;
        while (used4[i] && keys4[i] != key) {
            i = (i + 1) & m;
        }
        if (!used4[i]) {
            return false;
        }
        // backward-shift deletion
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & m;
            if (!used4[j]) {
                break;
            }
            int home = hash4(keys4[j]) & m;
            // move j into the hole when its home is not cyclically within (hole, j]
            if (((j - home) & m) >= ((j - hole) & m)) {
                keys4[hole] = keys4[j];
                macs4[hole] = macs4[j];
                hole = j;
            }
        }
        used4[hole] = false;
        size4--;
        return true;
    }

    public int size4() {
        return size4;
    }

    // ------------------------------------------------------------------ IPv6

    /** The MAC of IPv6 neighbour hi:lo on IFINDEX, or {@link #NONE}. */
    public long lookup6(int ifindex, long hi, long lo) {
        int m = ifx6.length - 1;
        for (int i = hash6(ifindex, hi, lo) & m; used6[i]; i = (i + 1) & m) {
            if (ifx6[i] == ifindex && hi6[i] == hi && lo6[i] == lo) {
                return macs6[i];
            }
        }
        return NONE;
    }

    /** Adds or replaces the entry for (IFINDEX, hi:lo). */
    public void put6(int ifindex, long hi, long lo, long mac) {
        if ((size6 + 1) * 2 > ifx6.length) {
            int[] oi = ifx6;
            long[] oh = hi6;
            long[] ol = lo6;
            long[] om = macs6;
            boolean[] ou = used6;
            int cap = oi.length * 2;
            ifx6 = new int[cap];
            hi6 = new long[cap];
            lo6 = new long[cap];
            macs6 = new long[cap];
            used6 = new boolean[cap];
            size6 = 0;
            for (int i = 0; i < oi.length; i++) {
                if (ou[i]) {
                    insert6(oi[i], oh[i], ol[i], om[i]);
                }
            }
        }
        insert6(ifindex, hi, lo, mac & 0xFFFF_FFFF_FFFFL);
    }

    private void insert6(int ifindex, long hi, long lo, long mac) {
        int m = ifx6.length - 1;
        int i = hash6(ifindex, hi, lo) & m;
        while (used6[i]) {
            if (ifx6[i] == ifindex && hi6[i] == hi && lo6[i] == lo) {
                macs6[i] = mac;
                return;
            }
            i = (i + 1) & m;
        }
        used6[i] = true;
        ifx6[i] = ifindex;
        hi6[i] = hi;
        lo6[i] = lo;
        macs6[i] = mac;
        size6++;
    }

    /** Removes the entry for (IFINDEX, hi:lo); returns whether there was one. */
    public boolean remove6(int ifindex, long hi, long lo) {
        int m = ifx6.length - 1;
        int i = hash6(ifindex, hi, lo) & m;
        while (used6[i] && !(ifx6[i] == ifindex && hi6[i] == hi && lo6[i] == lo)) {
            i = (i + 1) & m;
        }
        if (!used6[i]) {
            return false;
        }
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & m;
            if (!used6[j]) {
                break;
            }
            int home = hash6(ifx6[j], hi6[j], lo6[j]) & m;
            if (((j - home) & m) >= ((j - hole) & m)) {
                ifx6[hole] = ifx6[j];
                hi6[hole] = hi6[j];
                lo6[hole] = lo6[j];
                macs6[hole] = macs6[j];
                hole = j;
            }
        }
        used6[hole] = false;
        size6--;
        return true;
    }

    public int size6() {
        return size6;
    }

    /** An independent copy. */
    public Neighbours copy() {
        Neighbours n = new Neighbours();
        n.keys4 = keys4.clone();
        n.macs4 = macs4.clone();
        n.used4 = used4.clone();
        n.size4 = size4;
        n.ifx6 = ifx6.clone();
        n.hi6 = hi6.clone();
        n.lo6 = lo6.clone();
        n.macs6 = macs6.clone();
        n.used6 = used6.clone();
        n.size6 = size6;
        return n;
    }
}
