/**
 * The nftables language: {@link org.jnft.nft.Lexer} and {@link org.jnft.nft.Parser} turn text into a located
 * AST ({@link org.jnft.nft.Node}, {@link org.jnft.nft.Stmt}, {@link org.jnft.nft.Decl}); the
 * {@link org.jnft.nft.Evaluator} types it against header templates ({@link org.jnft.nft.Proto},
 * {@link org.jnft.nft.ExtHeaders}), data types ({@link org.jnft.nft.DataType}) and keys, adds nft's implicit
 * protocol dependencies ({@link org.jnft.nft.Context}) and builds the {@link org.jnft.nft.Model} with nft's
 * batch order; the {@link org.jnft.nft.Linearizer} emits {@code org.jnft.vm} expressions with nft's
 * register allocation. {@link org.jnft.nft.NetlinkDebug} prints what {@code nft --debug=netlink} prints,
 * {@link org.jnft.nft.Listing} what {@code nft list ruleset} prints, and {@link org.jnft.nft.SnapshotBuilder}
 * compiles a model into an immutable VM generation. Errors are {@link org.jnft.nft.Diag}s in nft's format;
 * {@link org.jnft.nft.Frontend} is the entry point.
 */
package org.jnft.nft;
