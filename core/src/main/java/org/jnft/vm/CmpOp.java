package org.jnft.vm;

/** Comparison operators (NFT_CMP_*), as libnftnl names them. */
public enum CmpOp {
    EQ("eq"), NEQ("neq"), LT("lt"), LTE("lte"), GT("gt"), GTE("gte");

    public final String text;

    CmpOp(String text) {
        this.text = text;
    }

    boolean test(int c) {
        return switch (this) {
            case EQ -> c == 0;
            case NEQ -> c != 0;
            case LT -> c < 0;
            case LTE -> c <= 0;
            case GT -> c > 0;
            case GTE -> c >= 0;
        };
    }
}
