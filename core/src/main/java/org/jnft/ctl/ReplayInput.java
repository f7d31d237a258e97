package org.jnft.ctl;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jnft.io.PcapReader;

/**
 * The frames of every {@code --in} file, in the order replay processes them: timestamp, then {@code --in}
 * order, then file order. Files are read whole before anything runs, so a bad file changes nothing.
 */
final class ReplayInput {

    /** One input frame: when, on which interface, the bytes. */
    record Frame(long timestampNanos, int inputIndex, int seq, String iface, byte[] bytes) {}

    private ReplayInput() {}

    private static PcapReader openInput(String name) throws IOException {
        try {
            return PcapReader.open(Path.of(name), name);
        } catch (org.jnft.io.PcapFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(name + ": " + Replay.reason(e), e);
        }
    }

    /**
     * @param ifaces the interface of each input, in {@code --in} order
     * @param files the file of each input (as the user spelled it, resolved against the caller's directory)
     */
    static List<Frame> load(List<String> ifaces, List<String> files) throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String name = files.get(i);
            try (PcapReader r = openInput(name)) {
                int seq = 0;
                while (r.next()) {
                    MemorySegment f = r.frame();
                    byte[] bytes = f.asSlice(0, r.capturedLength()).toArray(ValueLayout.JAVA_BYTE);
                    frames.add(new Frame(r.timestampNanos(), i, seq++, ifaces.get(i), bytes));
                }
            }
        }
        frames.sort(Comparator.comparingLong(Frame::timestampNanos)
                .thenComparingInt(Frame::inputIndex)
                .thenComparingInt(Frame::seq));
        return frames;
    }
}
