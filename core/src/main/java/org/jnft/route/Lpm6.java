package org.jnft.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** IPv6 longest-prefix match, built as {@link Lpm4}: a hash table per prefix length present. */
final class Lpm6 {
    private static final Comparator<Route> BY_METRIC = (a, b) -> Integer.compareUnsigned(a.metric(), b.metric());

    private record Key(int plen, long hi, long lo) {
    }

    private final int[] lengths;
    private final long[] maskHi;
    private final long[] maskLo;
    private final AddrMap6<Route[]>[] tables;

    @SuppressWarnings("unchecked")
    Lpm6(List<Route> routes) {
        Map<Key, List<Route>> groups = new LinkedHashMap<>();
        for (Route r : routes) {
            groups.computeIfAbsent(new Key(r.prefixLength(), r.prefixHi(), r.prefixLo()), k -> new ArrayList<>())
                    .add(r);
        }
        int[] count = new int[129];
        for (Key k : groups.keySet()) {
            count[k.plen()]++;
        }
        tables = (AddrMap6<Route[]>[]) new AddrMap6<?>[129];
        int n = 0;
        for (int l = 0; l <= 128; l++) {
            if (count[l] > 0) {
                tables[l] = new AddrMap6<>(count[l]);
                n++;
            }
        }
        lengths = new int[n];
        maskHi = new long[n];
        maskLo = new long[n];
        for (int l = 128, i = 0; l >= 0; l--) {
            if (count[l] > 0) {
                lengths[i] = l;
                maskHi[i] = Inet.mask6Hi(l);
                maskLo[i++] = Inet.mask6Lo(l);
            }
        }
        for (Map.Entry<Key, List<Route>> e : groups.entrySet()) {
            List<Route> rs = e.getValue();
            rs.sort(BY_METRIC);
            Key k = e.getKey();
            tables[k.plen()].put(k.hi(), k.lo(), rs.toArray(new Route[0]));
        }
    }

    Route lookup(long hi, long lo, int hint) {
        for (int i = 0; i < lengths.length; i++) {
            Route[] c = tables[lengths[i]].get(hi & maskHi[i], lo & maskLo[i]);
            if (c != null) {
                if (hint == 0) {
                    return c[0];
                }
                for (Route r : c) {
                    if (r.device() != null && r.device().ifindex() == hint) {
                        return r;
                    }
                }
            }
        }
        return null;
    }
}
