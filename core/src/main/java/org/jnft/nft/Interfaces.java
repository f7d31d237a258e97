package org.jnft.nft;

import java.util.Map;

/**
 * Interface names to indexes for {@code iif}/{@code oif}, as nft resolves them in its namespace. Offline
 * ({@code -c}, {@code format}) only lo exists, as index 1; replay passes NET's links (lo 1, then 2, 3, ...
 * in file order); the daemon passes the kernel's.
 */
public interface Interfaces {
    /** The index of {@code name}, or -1 when no such interface exists. */
    int index(String name);

    /** The name of {@code index}, or null. */
    String name(int index);

    Interfaces OFFLINE = of(Map.of("lo", 1));

    static Interfaces of(Map<String, Integer> byName) {
        return new Interfaces() {
            @Override
            public int index(String name) {
                return byName.getOrDefault(name, -1);
            }

            @Override
            public String name(int index) {
                for (Map.Entry<String, Integer> e : byName.entrySet()) if (e.getValue() == index) return e.getKey();
                return null;
            }
        };
    }

    /** The resolver of the ruleset being compiled or listed (bound by {@link Frontend} and {@link Listing}). */
    ScopedValue<Interfaces> CURRENT = ScopedValue.newInstance();

    static Interfaces current() {
        return CURRENT.orElse(OFFLINE);
    }
}
