package org.jnft.ctl;

import org.jnft.pipeline.DropReason;
import org.jnft.pipeline.Stats;
import org.jnft.route.Devices;
import org.jnft.route.NetDevice;

/** stats.txt: one line per interface in NET order, then one line per non-zero drop reason, sorted by name. */
final class StatsFile {
    private StatsFile() {}

    static String format(Devices devices, Stats stats) {
        StringBuilder sb = new StringBuilder();
        for (NetDevice d : devices.links()) {
            int i = d.ifindex();
            sb.append("iface ").append(d.name())
                    .append(" rx_packets=").append(stats.rxPackets(i))
                    .append(" rx_bytes=").append(stats.rxBytes(i))
                    .append(" tx_packets=").append(stats.txPackets(i))
                    .append(" tx_bytes=").append(stats.txBytes(i))
                    .append(" dropped=").append(stats.dropped(i))
                    .append('\n');
        }
        java.util.TreeMap<String, Long> reasons = new java.util.TreeMap<>();
        for (int r = 0; r < DropReason.count(); r++) {
            DropReason reason = DropReason.of(r);
            long n = stats.drops(reason);
            if (n != 0) {
                reasons.put(reason.name(), n);
            }
        }
        reasons.forEach((name, n) -> sb.append("drop ").append(name).append(' ').append(n).append('\n'));
        return sb.toString();
    }
}
