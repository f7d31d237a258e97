package org.jnft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Proves every benchmark still runs: one short iteration each, in this JVM. Figures come from ./bench. */
class BenchmarkSmokeTest {
    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        // JMH's lock guards against concurrent measurements; a smoke run measures nothing worth guarding
        System.setProperty("jmh.ignoreLock", "true");
        Options opts = new OptionsBuilder()
                .include("org\\.jnft\\.bench\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .param("routes", "1") // the 100k-route FIB takes seconds to build; one size proves it runs
                .param("flows", "1000") // likewise a million flows set up by handshakes
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        assertThat(results).isNotEmpty();
        for (RunResult r : results) {
            assertThat(r.getPrimaryResult().getScore()).as(r.getParams().getBenchmark()).isPositive();
        }
    }
}
