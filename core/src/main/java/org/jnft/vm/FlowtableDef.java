package org.jnft.vm;

import java.util.List;

/**
 * A flowtable as a ruleset generation declares it: where it lives (family, table, name), its hook (ingress
 * of {@code devices} at {@code priority}) and flags. The flows themselves outlive generations: the pipeline
 * keeps one runtime flowtable per (family, table, name) and updates it from each generation's definition.
 */
public record FlowtableDef(String family, String table, String name, int priority, List<String> devices,
                           boolean counter, boolean hwOffload) {
    public FlowtableDef {
        devices = List.copyOf(devices);
    }

    public String key() {
        return family + " " + table + " " + name;
    }
}
