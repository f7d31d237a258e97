package org.jnft.io.linux;

/** Linux errno numbers (x86-64 and the generic table agree for these) and their symbolic names. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17,
            ENODEV = 19, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOSPC = 28, EPIPE = 32, ERANGE = 34,
            EPROTO = 71, EMSGSIZE = 90, ENOPROTOOPT = 92, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95,
            EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETDOWN = 100, ENETUNREACH = 101,
            ENOBUFS = 105, ENOTCONN = 107, ETIMEDOUT = 110;

    private static final String[] NAMES = new String[111];

    static {
        String[][] t = {{"1", "EPERM"}, {"2", "ENOENT"}, {"3", "ESRCH"}, {"4", "EINTR"}, {"5", "EIO"},
                {"6", "ENXIO"}, {"7", "E2BIG"}, {"9", "EBADF"}, {"11", "EAGAIN"}, {"12", "ENOMEM"},
                {"13", "EACCES"}, {"14", "EFAULT"}, {"16", "EBUSY"}, {"17", "EEXIST"}, {"19", "ENODEV"},
                {"22", "EINVAL"}, {"23", "ENFILE"}, {"24", "EMFILE"}, {"28", "ENOSPC"}, {"32", "EPIPE"},
                {"34", "ERANGE"}, {"71", "EPROTO"}, {"90", "EMSGSIZE"}, {"92", "ENOPROTOOPT"},
                {"93", "EPROTONOSUPPORT"}, {"95", "EOPNOTSUPP"}, {"97", "EAFNOSUPPORT"},
                {"98", "EADDRINUSE"}, {"99", "EADDRNOTAVAIL"}, {"100", "ENETDOWN"}, {"101", "ENETUNREACH"},
                {"105", "ENOBUFS"}, {"107", "ENOTCONN"}, {"110", "ETIMEDOUT"}};
        for (String[] e : t) {
            NAMES[Integer.parseInt(e[0])] = e[1];
        }
    }

    private Errno() {
    }

    /** The symbolic name, or {@code errno N} for one not in the table. */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno] : "errno " + errno;
    }
}
