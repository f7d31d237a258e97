package org.jnft.nft;

/** An evaluation error for one statement or declaration; the evaluator records it and goes on. */
final class EvalError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Diag diag;
    /** An error nft gets from the kernel (after printing its batch), not from its own evaluation. */
    final boolean kernel;

    EvalError(Loc loc, String message) {
        this(loc, null, message);
    }

    EvalError(Loc loc, String message, boolean kernel) {
        super(message, null, false, false);
        this.diag = new Diag(loc, null, message, false);
        this.kernel = kernel;
    }

    EvalError(Loc loc, Loc related, String message) {
        super(message, null, false, false);
        this.diag = new Diag(loc, related, message, false);
        this.kernel = false;
    }
}
