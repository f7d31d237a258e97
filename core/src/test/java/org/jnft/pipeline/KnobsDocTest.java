package org.jnft.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/KNOBS.md lists every sysctl `--set` accepts, with its default. */
class KnobsDocTest {
    @Test
    void everyKnownKnobIsDocumentedWithItsDefault() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docs").resolve("KNOBS.md"))) {
            root = root.getParent();
        }
        String doc = Files.readString(root.resolve("docs").resolve("KNOBS.md"));
        for (Sysctl.Knob k : Sysctl.known().values()) {
            assertThat(doc).as(k.key()).contains("| " + k.key() + " | " + k.defaultValue() + " |");
        }
    }

    @Test
    void unknownKeysAndBadValuesAreRefused() {
        Sysctl s = new Sysctl();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.set("net.ipv4.no_such=1"))
                .hasMessageContaining("unknown sysctl");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.set("net.ipv4.ip_default_ttl=300"))
                .hasMessageContaining("out of range");
        s.set("net.netfilter.nf_conntrack_tcp_timeout_established=7200");
        assertThat(s.get("net.netfilter.nf_conntrack_tcp_timeout_established")).isEqualTo(7200);
        assertThat(s.conntrackParams().tcpTimeout(org.jnft.conntrack.CtConst.TCP_ESTABLISHED))
                .isEqualTo(7200L * 1_000_000_000L);
    }
}
