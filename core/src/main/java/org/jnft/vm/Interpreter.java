package org.jnft.vm;

/**
 * Evaluates chains as the kernel's nft_do_chain: rule by rule, expression by expression, with jump/goto
 * on a fixed-depth stack (16, NFT_JUMP_STACK_SIZE). One instance per worker thread: it owns the register
 * file and the stack, so evaluation allocates nothing.
 */
public final class Interpreter {
    public static final int JUMP_STACK_SIZE = 16;
    private final Regs regs = new Regs();
    private final int[] stackChain = new int[JUMP_STACK_SIZE];
    private final int[] stackRule = new int[JUMP_STACK_SIZE];
    /** Rules evaluated by the last call (for benchmarks). */
    public long rulesEvaluated;

    /**
     * Runs the base chains of the packet's family at {@code hook} in priority order, as netfilter runs
     * hook entries: ACCEPT goes on to the next chain, DROP stops. Returns the final verdict.
     */
    public int runHook(Ruleset rs, int family, int hook, NftPacket p, Engine e) {
        Chain[] chains = rs.baseChains(family, hook);
        for (Chain c : chains) {
            if (!c.appliesTo(p.iifName)) continue;
            int v = runChain(rs, c, p, e);
            if (v != Verdict.ACCEPT) return v;
        }
        return Verdict.ACCEPT;
    }

    /** Evaluates one base chain; returns ACCEPT, DROP or QUEUE. */
    public int runChain(Ruleset rs, Chain base, NftPacket p, Engine e) {
        Chain chain = base;
        int sp = 0;
        int ruleIndex = 0;
        Regs r = regs;
        while (true) {
            Rule[] rules = chain.rules;
            boolean restart = false;
            for (int i = ruleIndex; i < rules.length; i++) {
                Expr[] exprs = rules[i].exprs;
                r.verdict = Verdict.CONTINUE;
                rulesEvaluated++;
                for (Expr x : exprs) {
                    // The commonest expressions get direct calls, as nft_do_chain special-cases
                    // nft_cmp_fast and nft_payload_fast: the call site would otherwise be megamorphic.
                    if (x instanceof Cmp c) {
                        c.eval(r, p, e);
                    } else if (x instanceof PayloadLoad l) {
                        l.eval(r, p, e);
                    } else if (x instanceof MetaLoad m) {
                        m.eval(r, p, e);
                    } else {
                        x.eval(r, p, e);
                    }
                    if (r.verdict != Verdict.CONTINUE) break;
                }
                int v = r.verdict;
                if (v == Verdict.CONTINUE || v == Verdict.BREAK) continue;
                if (v == Verdict.ACCEPT || v == Verdict.DROP || v == Verdict.QUEUE) return v;
                if (v == Verdict.JUMP) {
                    if (sp == JUMP_STACK_SIZE) return Verdict.DROP;
                    stackChain[sp] = chain.index;
                    stackRule[sp] = i + 1;
                    sp++;
                }
                if (v == Verdict.JUMP || v == Verdict.GOTO) {
                    chain = rs.chain(r.chain);
                    ruleIndex = 0;
                    restart = true;
                    break;
                }
                break; // RETURN
            }
            if (restart) continue;
            if (sp > 0) {
                sp--;
                chain = rs.chain(stackChain[sp]);
                ruleIndex = stackRule[sp];
                continue;
            }
            return base.policy;
        }
    }

}
