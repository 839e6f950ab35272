package dev.rekey.devstack.downstream;

import java.util.Collection;
import java.util.Map;

/**
 * The accounts of one downstream server, made and removed from outside rekey as its operator would: an admin login
 * for rekey (stored in Vault at the system's {@code adminSecretPath}) and the users whose passwords rekey rotates,
 * and a login check to see which value works. Used by the demo; every name it creates is the caller's, so several
 * runs can share one server.
 */
public interface DownstreamAccounts extends AutoCloseable {

    /** The system type in the inventory and the worker: {@code postgresql}, {@code mariadb}, {@code redis}, {@code rabbitmq}. */
    String type();

    /** The server for people, e.g. {@code MariaDB on 127.0.0.1:3306}. */
    String describe();

    /** {@code host}, {@code port} and, where the type takes them, {@code database} and {@code settings} of the system's registration. */
    Map<String, Object> systemFields();

    /** The admin login made for rekey on this server, with only the privileges the worker's target needs. */
    Login admin();

    /** Creates login users, user name to password. */
    void createUsers(Map<String, String> passwordsByUser) throws Exception;

    /**
     * Whether {@code username} logs in with {@code password} now: {@code false} when the server refuses it; a server
     * that cannot be reached is an exception, never a {@code false}.
     */
    boolean logsIn(String username, String password) throws Exception;

    /** Removes users; one that is already gone is fine. */
    void dropUsers(Collection<String> usernames) throws Exception;

    /** Removes the admin login. */
    @Override
    void close();
}
