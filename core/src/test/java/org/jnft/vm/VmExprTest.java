package org.jnft.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expressions on hand-made frames, built directly (no compiler). */
class VmExprTest {
    private final Engine engine = new Engine();

    private static NftPacket tcp(int dport) {
        return Frames.packet(Frames.ipv4(6, Frames.addr(10, 0, 0, 1), Frames.addr(10, 0, 0, 2), 40000, dport, 0x02, 0),
                NftPacket.HOOK_INPUT, 2, "eth0");
    }

    private static Chain chain(int policy, Rule... rules) {
        return new Chain("t", "c", NftPacket.NFPROTO_IPV4, NftPacket.HOOK_INPUT, 0, policy, List.of(), List.of(rules));
    }

    @Test
    void payloadCmpAcceptsMatchingPort() {
        Rule r = new Rule(List.of(new PayloadLoad(PayloadBase.TH, 2, 2, 1), new Cmp(CmpOp.EQ, 1, new byte[] {0, 22}),
                Immediate.verdict(Verdict.ACCEPT, null)), 1);
        Ruleset rs = new Ruleset(1, List.of(chain(Verdict.DROP, r)));
        Interpreter in = new Interpreter();
        assertThat(in.runHook(rs, NftPacket.NFPROTO_IPV4, NftPacket.HOOK_INPUT, tcp(22), engine)).isEqualTo(Verdict.ACCEPT);
        assertThat(in.runHook(rs, NftPacket.NFPROTO_IPV4, NftPacket.HOOK_INPUT, tcp(80), engine)).isEqualTo(Verdict.DROP);
    }

    @Test
    void outOfBoundsLoadBreaksTheRule() {
        Rule r = new Rule(List.of(new PayloadLoad(PayloadBase.TH, 1000, 4, 1), Immediate.verdict(Verdict.DROP, null)), 1);
        Ruleset rs = new Ruleset(1, List.of(chain(Verdict.ACCEPT, r)));
        assertThat(new Interpreter().runHook(rs, NftPacket.NFPROTO_IPV4, NftPacket.HOOK_INPUT, tcp(22), engine))
                .isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void registersAreLaidOutAsTheKernels() {
        assertThat(Regs.offset(0)).isZero();
        assertThat(Regs.offset(1)).isEqualTo(16);
        assertThat(Regs.offset(8)).isEqualTo(16);
        assertThat(Regs.offset(9)).isEqualTo(20);
        assertThat(Regs.offset(2)).isEqualTo(32);
        assertThat(Regs.offset(12)).isEqualTo(32);
        assertThat(Regs.offset(23)).isEqualTo(76);
    }

    @Test
    void bitwiseAndByteorderAsTheKernel() {
        Regs r = new Regs();
        r.setU32(1, 0x12345678);
        Bitwise.bool(1, 1, new byte[] {(byte) 0xff, 0, 0, 0}, new byte[] {0, 0, 0, 1}).eval(r, null, engine);
        assertThat(r.u32(1)).isEqualTo(0x01000078);
        new Byteorder(true, 1, 1, 4, 4).eval(r, null, engine);
        assertThat(r.u32(1)).isEqualTo(0x78000001);
    }

    @Test
    void limitIsATokenBucketOnTheEngineClock() {
        Limit l = new Limit(2, 1, 2, false, false);
        Regs r = new Regs();
        NftPacket p = tcp(22);
        int passed = 0;
        for (int i = 0; i < 5; i++) {
            r.verdict = Verdict.CONTINUE;
            l.eval(r, p, engine);
            if (r.verdict == Verdict.CONTINUE) passed++;
        }
        assertThat(passed).isEqualTo(2);
        engine.now += 500_000_000L;
        r.verdict = Verdict.CONTINUE;
        l.eval(r, p, engine);
        assertThat(r.verdict).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void byteLimitsChargeThePacketLength() {
        NftPacket p = tcp(22);
        int len = p.frameLength - 14;
        Limit l = new Limit(len * 2L, 1, 0, true, false); // two packets per second, bucket of one second
        Limit over = new Limit(len * 2L, 1, 0, true, true);
        Regs r = new Regs();
        int[] plain = new int[3], inverted = new int[3];
        for (int i = 0; i < 3; i++) {
            r.verdict = Verdict.CONTINUE;
            l.eval(r, p, engine);
            plain[i] = r.verdict;
            r.verdict = Verdict.CONTINUE;
            over.eval(r, p, engine);
            inverted[i] = r.verdict;
        }
        assertThat(plain).containsExactly(Verdict.CONTINUE, Verdict.CONTINUE, Verdict.BREAK);
        assertThat(inverted).containsExactly(Verdict.BREAK, Verdict.BREAK, Verdict.CONTINUE);
    }

    @Test
    void quotaMatchesUntilExhausted() {
        NftPacket p = tcp(22);
        int len = p.frameLength - 14;
        Quota q = new Quota(len * 2L, 0, false);
        Regs r = new Regs();
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            r.verdict = Verdict.CONTINUE;
            q.eval(r, p, engine);
            v[i] = r.verdict;
        }
        assertThat(v).containsExactly(Verdict.CONTINUE, Verdict.BREAK, Verdict.BREAK);
    }
}
