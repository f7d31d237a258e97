package org.jnft.bench;

import java.util.concurrent.TimeUnit;
import org.jnft.nft.Frontend;
import org.jnft.nft.LiveState;
import org.jnft.nft.SnapshotBuilder;
import org.jnft.nft.Source;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Issue 2's compile figure: lex, parse, evaluate and linearize a ruleset of N rules into a VM generation. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class CompileBenchmark {
    @Param({"10000"})
    public int rules;

    private String text;

    @Setup
    public void setUp() {
        text = Rulesets.typical(rules);
    }

    @Benchmark
    public LiveState compile() throws Exception {
        return SnapshotBuilder.compile(Frontend.loadText(new Source("rules.nft", text)), 1);
    }
}
