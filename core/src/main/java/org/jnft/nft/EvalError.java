package org.jnft.nft;

/** An evaluation error for one statement or declaration; the evaluator records it and goes on. */
final class EvalError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Diag diag;

    EvalError(Loc loc, String message) {
        this(loc, null, message);
    }

    EvalError(Loc loc, Loc related, String message) {
        super(message, null, false, false);
        this.diag = new Diag(loc, related, message, false);
    }
}
