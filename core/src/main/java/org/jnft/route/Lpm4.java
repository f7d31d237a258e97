package org.jnft.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IPv4 longest-prefix match: one open-addressing hash table per prefix length present (key: the masked
 * prefix, value: the routes of that prefix, best first), probed from the longest length present to the
 * shortest. At most 33 probes; no allocation. Chosen over a trie for its simplicity and because route
 * tables here are small and lengths few; the probe count is bounded by the number of distinct lengths.
 */
final class Lpm4 {
    private static final Comparator<Route> BY_METRIC = (a, b) -> Integer.compareUnsigned(a.metric(), b.metric());

    private final int[] lengths;
    private final int[] masks;
    private final AddrMap4<Route[]>[] tables;

    @SuppressWarnings("unchecked")
    Lpm4(List<Route> routes) {
        Map<Long, List<Route>> groups = new LinkedHashMap<>();
        for (Route r : routes) {
            long key = (long) r.prefixLength() << 32 | (r.prefix4() & 0xFFFFFFFFL);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        int[] count = new int[33];
        for (Long k : groups.keySet()) {
            count[(int) (k >>> 32)]++;
        }
        tables = (AddrMap4<Route[]>[]) new AddrMap4<?>[33];
        int n = 0;
        for (int l = 0; l <= 32; l++) {
            if (count[l] > 0) {
                tables[l] = new AddrMap4<>(count[l]);
                n++;
            }
        }
        lengths = new int[n];
        masks = new int[n];
        for (int l = 32, i = 0; l >= 0; l--) {
            if (count[l] > 0) {
                lengths[i] = l;
                masks[i++] = Inet.mask4(l);
            }
        }
        for (Map.Entry<Long, List<Route>> e : groups.entrySet()) {
            List<Route> rs = e.getValue();
            rs.sort(BY_METRIC); // stable: insertion order among equal metrics
            tables[(int) (e.getKey() >>> 32)].put((int) (long) e.getKey(), rs.toArray(new Route[0]));
        }
    }

    /** Best route for DST; with HINT non-zero only routes whose device has that ifindex qualify. */
    Route lookup(int dst, int hint) {
        for (int i = 0; i < lengths.length; i++) {
            Route[] c = tables[lengths[i]].get(dst & masks[i]);
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
