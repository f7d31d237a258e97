package org.jnft;

import static org.assertj.core.api.Assertions.assertThat;

import org.jnft.ctl.Main;
import org.junit.jupiter.api.Test;

class MainSmokeTest {
    @Test
    void unknownOptionIsAUsageError() {
        assertThat(Main.execute("--no-such-option")).isEqualTo(2);
    }

    @Test
    void versionExitsZero() {
        assertThat(Main.execute("--version")).isEqualTo(0);
    }
}
