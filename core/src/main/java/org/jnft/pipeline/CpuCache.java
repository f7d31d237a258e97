package org.jnft.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The size of the CPU's last-level cache, read once from sysfs ({@code /sys/devices/system/cpu/cpu0/cache/
 * index*}: the highest {@code level}, its {@code size} such as {@code 32768K}); 32 MiB when sysfs does not say.
 * The flowtables prefetch their lookups only when their flows no longer fit in it.
 */
final class CpuCache {
    static final long DEFAULT_BYTES = 32L << 20;

    private CpuCache() {
    }

    static long lastLevelBytes() {
        return lastLevelBytes(Path.of("/sys/devices/system/cpu/cpu0/cache"));
    }

    /** The last-level cache described under {@code dir} (index0, index1, ...), or {@link #DEFAULT_BYTES}. */
    static long lastLevelBytes(Path dir) {
        int bestLevel = -1;
        long best = DEFAULT_BYTES;
        for (int i = 0; i < 16; i++) {
            Path index = dir.resolve("index" + i);
            if (!Files.isDirectory(index)) {
                break;
            }
            try {
                int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
                long size = parseSize(Files.readString(index.resolve("size")).trim());
                if (level > bestLevel && size > 0) {
                    bestLevel = level;
                    best = size;
                }
            } catch (IOException | NumberFormatException e) {
                // an unreadable or odd entry says nothing: keep what the others said
            }
        }
        return best;
    }

    /** {@code 32768K}, {@code 32M}, {@code 1024}: bytes, or -1. */
    static long parseSize(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        long mult = switch (unit) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = mult == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long v = Long.parseLong(digits);
            return v < 0 ? -1 : v * mult;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
