package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last-level cache as sysfs describes it, and the default when it does not. */
class CpuCacheTest {
    @TempDir
    Path dir;

    private void index(int i, String level, String size) throws Exception {
        Path d = Files.createDirectories(dir.resolve("index" + i));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }

    @Test
    void theHighestLevelCounts() throws Exception {
        index(0, "1", "32K");
        index(1, "1", "32K");
        index(2, "2", "1024K");
        index(3, "3", "32768K");
        assertThat(CpuCache.lastLevelBytes(dir)).isEqualTo(32L << 20);
    }

    @Test
    void noL3MeansL2() throws Exception {
        index(0, "1", "48K");
        index(1, "2", "2M");
        assertThat(CpuCache.lastLevelBytes(dir)).isEqualTo(2L << 20);
    }

    @Test
    void nothingReadableMeansTheDefault() throws Exception {
        assertThat(CpuCache.lastLevelBytes(dir.resolve("absent"))).isEqualTo(CpuCache.DEFAULT_BYTES);
        index(0, "x", "32K");
        index(1, "2", "lots");
        assertThat(CpuCache.lastLevelBytes(dir)).isEqualTo(CpuCache.DEFAULT_BYTES);
    }

    @Test
    void sizes() {
        assertThat(CpuCache.parseSize("32768K")).isEqualTo(32L << 20);
        assertThat(CpuCache.parseSize("1G")).isEqualTo(1L << 30);
        assertThat(CpuCache.parseSize("512")).isEqualTo(512);
        assertThat(CpuCache.parseSize("")).isEqualTo(-1);
        assertThat(CpuCache.parseSize("-5K")).isEqualTo(-1);
        assertThat(CpuCache.parseSize("K")).isEqualTo(-1);
    }
}
