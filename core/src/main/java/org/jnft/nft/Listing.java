package org.jnft.nft;

/** {@code nft list ruleset} text of a model (see {@link #print}). */
public final class Listing {
    private Listing() {}

    /** Text of a parsed expression as nft lists it (used for typeof declarations). */
    static String exprText(Node n) {
        return switch (n) {
            case Node.Payload p -> p.proto() + " " + p.field();
            case Node.Meta m -> "meta " + m.key();
            case Node.Ct c -> "ct " + (c.dir() == null ? "" : c.dir() + " ") + (c.family() == null ? "" : c.family() + " ") + c.key();
            case Node.Concat c -> String.join(" . ", c.parts().stream().map(Listing::exprText).toList());
            default -> n.toString();
        };
    }

    public static String print(Model m) {
        return "";
    }
}
