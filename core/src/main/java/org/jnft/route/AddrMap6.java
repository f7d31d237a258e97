package org.jnft.route;

/** Open-addressing map from an IPv6 address (two longs) to a value; get() allocates nothing. */
final class AddrMap6<V> {
    private long[] his;
    private long[] los;
    private Object[] vals;
    private int mask;
    private int size;

    AddrMap6(int expected) {
        int cap = 8;
        while (cap < expected * 2) {
            cap <<= 1;
        }
        his = new long[cap];
        los = new long[cap];
        vals = new Object[cap];
        mask = cap - 1;
    }

    static int hash(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L + lo;
        h *= 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        return (int) (h ^ (h >>> 32));
    }

    @SuppressWarnings("unchecked")
    V get(long hi, long lo) {
        int i = hash(hi, lo) & mask;
        Object v;
        while ((v = vals[i]) != null) {
            if (his[i] == hi && los[i] == lo) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Adds or replaces; V must not be null. */
    void put(long hi, long lo, V v) {
        if ((size + 1) * 2 > vals.length) {
            long[] oh = his;
            long[] ol = los;
            Object[] ov = vals;
            his = new long[oh.length * 2];
            los = new long[oh.length * 2];
            vals = new Object[oh.length * 2];
            mask = vals.length - 1;
            size = 0;
            for (int i = 0; i < ov.length; i++) {
                if (ov[i] != null) {
                    insert(oh[i], ol[i], ov[i]);
                }
            }
        }
        insert(hi, lo, v);
    }

    private void insert(long hi, long lo, Object v) {
        int i = hash(hi, lo) & mask;
        while (vals[i] != null) {
            if (his[i] == hi && los[i] == lo) {
                vals[i] = v;
                return;
            }
            i = (i + 1) & mask;
        }
        his[i] = hi;
        los[i] = lo;
        vals[i] = v;
        size++;
    }

    int size() {
        return size;
    }
}
