package org.jnft.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a set of output files under temporary names in their directory and renames them into place only on
 * {@link #commit()}: readers never see a half-written file, and a failed run leaves the directory's files as
 * they were.
 */
final class AtomicFiles implements AutoCloseable {
    private final Path dir;
    private final List<Path[]> pending = new ArrayList<>();
    private final String tag = ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private boolean committed;

    AtomicFiles(Path dir) {
        this.dir = dir;
    }

    /** A temporary path that becomes {@code dir/name} on commit. */
    Path temp(String name) {
        Path tmp = dir.resolve("." + name + tag);
        pending.add(new Path[] {tmp, dir.resolve(name)});
        return tmp;
    }

    void writeString(String name, String content) throws IOException {
        Files.writeString(temp(name), content, StandardCharsets.UTF_8);
    }

    void commit() throws IOException {
        for (Path[] p : pending) {
            Files.move(p[0], p[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        committed = true;
    }

    @Override
    public void close() {
        if (!committed) {
            for (Path[] p : pending) {
                try {
                    Files.deleteIfExists(p[0]);
                } catch (IOException ignored) {
                    // best effort: a stray temporary file is harmless
                }
            }
        }
    }
}
