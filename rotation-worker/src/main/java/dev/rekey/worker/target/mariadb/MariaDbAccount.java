package dev.rekey.worker.target.mariadb;

import dev.rekey.worker.target.TargetException;

/**
 * A MariaDB/MySQL account, {@code 'name'@'host'}. The credential's {@code username} gives both as {@code name@host},
 * split at the last {@code @} (host parts never hold one); without an {@code @} the host is {@code %}, any host.
 * A name that itself holds an {@code @} is therefore written with its host, e.g. {@code ops@corp@%}.
 */
record MariaDbAccount(String name, String host) {

    static final String ANY_HOST = "%";
    /** The lengths of {@code mysql.global_priv}'s User and Host columns in MariaDB 10.6 and later. */
    private static final int MAX_NAME = 128;
    private static final int MAX_HOST = 255;

    static MariaDbAccount parse(String username) {
        int at = username.lastIndexOf('@');
        MariaDbAccount account = at < 0 ? new MariaDbAccount(username, ANY_HOST)
                : new MariaDbAccount(username.substring(0, at), username.substring(at + 1));
        if (account.name.isEmpty()) {
            throw new TargetException("a MariaDB account needs a user name before the '@'", false);
        }
        if (account.host.isEmpty()) {
            throw new TargetException("a MariaDB account needs a host after the '@' (or none for '%')", false);
        }
        if (account.name.length() > MAX_NAME || account.host.length() > MAX_HOST) {
            throw new TargetException("a MariaDB user name has at most " + MAX_NAME + " characters and a host "
                    + MAX_HOST, false);
        }
        return account;
    }

    /** {@code 'name'@'host'} for a session with {@code NO_BACKSLASH_ESCAPES}, where doubling a quote is enough. */
    String sql() {
        return literal(name) + "@" + literal(host);
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        return name + "@" + host;
    }
}
