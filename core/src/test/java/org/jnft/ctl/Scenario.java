package org.jnft.ctl;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jnft.io.PcapReader;
import org.jnft.io.PcapWriter;

/** A replay scenario for tests: a NET file and the frames received per interface, written to a directory. */
final class Scenario {
    final Path dir;
    private final Map<String, List<byte[]>> inputs = new LinkedHashMap<>();
    private final Map<String, List<Long>> times = new LinkedHashMap<>();
    private long clock = 1_700_000_000_000_000_000L;
    String net;
    String ruleset;

    Scenario(Path dir, String net) {
        this.dir = dir;
        this.net = net;
    }

    /** A frame received on {@code iface}, 10 ms after the previous one. */
    Scenario in(String iface, byte[] frame) {
        return in(iface, frame, 10);
    }

    /** A frame received on {@code iface}, {@code gapMillis} after the previous one. */
    Scenario in(String iface, byte[] frame, int gapMillis) {
        clock += gapMillis * 1_000_000L;
        inputs.computeIfAbsent(iface, k -> new ArrayList<>()).add(frame);
        times.computeIfAbsent(iface, k -> new ArrayList<>()).add(clock);
        return this;
    }

    /** Writes the files and returns the replay arguments (without --out). */
    List<String> write() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("net.conf"), net);
        List<String> args = new ArrayList<>(List.of("--net", dir.resolve("net.conf").toString()));
        if (ruleset != null) {
            Files.writeString(dir.resolve("rules.nft"), ruleset);
            args.add("--ruleset");
            args.add(dir.resolve("rules.nft").toString());
        }
        for (var e : inputs.entrySet()) {
            Path p = dir.resolve(e.getKey() + "-in.pcap");
            try (PcapWriter w = PcapWriter.create(p)) {
                List<Long> ts = times.get(e.getKey());
                for (int i = 0; i < e.getValue().size(); i++) {
                    w.write(ts.get(i), e.getValue().get(i));
                }
            }
            args.add("--in");
            args.add(e.getKey() + "=" + p);
        }
        return args;
    }

    /** The frames of a pcap (empty when the file does not exist). */
    static List<byte[]> frames(Path pcap) throws IOException {
        List<byte[]> out = new ArrayList<>();
        if (!Files.exists(pcap)) {
            return out;
        }
        try (PcapReader r = PcapReader.open(pcap, pcap.toString())) {
            while (r.next()) {
                MemorySegment f = r.frame();
                out.add(f.asSlice(0, r.capturedLength()).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return out;
    }
}
