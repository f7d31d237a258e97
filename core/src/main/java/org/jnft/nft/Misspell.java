package org.jnft.nft;

/** nft's "did you mean" suggestions: an edit distance with a length-dependent threshold. */
final class Misspell {
    private Misspell() {}

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    /** Edit distance as nft computes it (its indexes run one character ahead; kept for identical hints). */
    static int distance(String a, String b) {
        int la = a.length(), lb = b.length();
        int[][] d = new int[la + 1][lb + 1];
        for (int i = 0; i <= la; i++) d[i][0] = i;
        for (int j = 0; j <= lb; j++) d[0][j] = j;
        for (int i = 1; i <= la; i++) {
            for (int j = 1; j <= lb; j++) {
                int sub = at(a, i) == at(b, j) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + sub);
                if (i > 1 && j > 1 && at(a, i) == at(b, j - 1) && at(a, i - 1) == at(b, j)) {
                    v = Math.min(v, d[i - 2][j - 2] + sub);
                }
                d[i][j] = v;
            }
        }
        return d[la][lb];
    }

    /** The closest candidate within nft's threshold, or null. */
    static String suggest(String name, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int max = Math.max(name.length(), c.length()), min = Math.min(name.length(), c.length());
            if (max <= 1) continue;
            int threshold = max - min <= 1 ? Math.max((max + 2) / 3, 1) : (max + 4) / 3;
            int d = distance(name, c);
            if (d <= threshold && d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }
}
