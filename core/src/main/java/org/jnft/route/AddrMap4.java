package org.jnft.route;

/** Open-addressing map from an IPv4 address (or any int) to a value; get() allocates nothing. */
final class AddrMap4<V> {
    private int[] keys;
    private Object[] vals;
    private int mask;
    private int size;

    AddrMap4(int expected) {
        int cap = 8;
        while (cap < expected * 2) {
            cap <<= 1;
        }
        keys = new int[cap];
        vals = new Object[cap];
        mask = cap - 1;
    }

    static int hash(int k) {
        int h = k * 0x9E3779B9;
        return h ^ (h >>> 15);
    }

    @SuppressWarnings("unchecked")
    V get(int k) {
        int i = hash(k) & mask;
        Object v;
        while ((v = vals[i]) != null) {
            if (keys[i] == k) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Adds or replaces; V must not be null. */
    void put(int k, V v) {
        if ((size + 1) * 2 > keys.length) {
            int[] ok = keys;
            Object[] ov = vals;
            keys = new int[ok.length * 2];
            vals = new Object[ok.length * 2];
            mask = keys.length - 1;
            size = 0;
            for (int i = 0; i < ok.length; i++) {
                if (ov[i] != null) {
                    insert(ok[i], ov[i]);
                }
            }
        }
        insert(k, v);
    }

    private void insert(int k, Object v) {
        int i = hash(k) & mask;
        while (vals[i] != null) {
            if (keys[i] == k) {
                vals[i] = v;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = k;
        vals[i] = v;
        size++;
    }

    int size() {
        return size;
    }
}
