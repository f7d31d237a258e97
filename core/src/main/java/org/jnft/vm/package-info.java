/**
 * The nf_tables register VM: {@link org.jnft.vm.Regs} is laid out as the kernel's struct nft_regs (verdict,
 * then sixteen 32-bit registers also addressed as four 128-bit ones); each expression type is one final
 * class implementing {@link org.jnft.vm.Expr} whose {@code toString()} is libnftnl's text form;
 * {@link org.jnft.vm.Interpreter} runs chains as nft_do_chain does (16-deep jump stack) over an immutable
 * {@link org.jnft.vm.Ruleset} generation published through {@link org.jnft.vm.RulesetHolder}. Packets come
 * in as {@link org.jnft.vm.NftPacket}; time is the {@link org.jnft.vm.Engine}'s clock in nanoseconds.
 * Evaluation allocates nothing (set insertions from the packet path excepted). Depends only on the JDK.
 */
package org.jnft.vm;
