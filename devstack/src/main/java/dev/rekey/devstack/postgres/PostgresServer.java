package dev.rekey.devstack.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server for tests and the local stack: the real binaries from Maven (zonky) started on loopback, or an
 * existing server given by URL ({@code postgresql://user:password@host:port/db}, e.g. from {@code REKEY_TEST_PG_URL}).
 *
 * <p>The embedded server requires passwords (SCRAM) on TCP, unlike zonky's trust default, so that a test can tell a
 * rotated password from an old one.
 */
public final class PostgresServer implements AutoCloseable {

    /** Environment variable naming an existing server for the tests instead of the embedded one. */
    public static final String EXTERNAL_URL_ENV = "REKEY_TEST_PG_URL";
    private static final String EMBEDDED_PASSWORD = "postgres";

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String defaultDatabase;

    private PostgresServer(EmbeddedPostgres embedded, String host, int port, String user, String password,
                           String defaultDatabase) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.defaultDatabase = defaultDatabase;
    }

    /** The server named by {@code REKEY_TEST_PG_URL}, or else a new embedded one in a temporary directory. */
    public static PostgresServer fromEnvironmentOrEmbedded() throws IOException, SQLException {
        String url = System.getenv(EXTERNAL_URL_ENV);
        return url == null || url.isBlank() ? startEmbedded(null, 0) : external(url);
    }

    /** An existing server, {@code postgresql://user:password@host:port/db}. */
    public static PostgresServer external(String url) {
        URI uri = URI.create(url);
        String[] userInfo = uri.getUserInfo() == null ? new String[]{"postgres", ""} : uri.getUserInfo().split(":", 2);
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new PostgresServer(null, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
                userInfo.length > 1 ? userInfo[1] : "", db);
    }

    /**
     * Starts the embedded server. {@code dataDir} null means a fresh temporary one (removed on close); an existing
     * {@code dataDir} is reused, so the local stack keeps its data across restarts. {@code port} 0 means any.
     */
    public static PostgresServer startEmbedded(Path dataDir, int port) throws IOException, SQLException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "300")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(ProcessBuilder.Redirect.DISCARD);
        if (port != 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            Files.createDirectories(dataDir.getParent());
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        EmbeddedPostgres pg = builder.start();
        requirePasswords(pg);
        return new PostgresServer(pg, "127.0.0.1", pg.getPort(), "postgres", EMBEDDED_PASSWORD, "postgres");
    }

    /** Gives the superuser a password and turns TCP logins from trust to SCRAM. */
    private static void requirePasswords(EmbeddedPostgres pg) throws SQLException, IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD '" + EMBEDDED_PASSWORD + "'");
            String hbaFile;
            try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
                rs.next();
                hbaFile = rs.getString(1);
            }
            Files.writeString(Path.of(hbaFile), """
                    # written by rekey devstack: passwords are required on TCP
                    local all all trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            s.execute("SELECT pg_reload_conf()");
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String superuser() {
        return user;
    }

    public String superuserPassword() {
        return password;
    }

    public String defaultDatabase() {
        return defaultDatabase;
    }

    /** {@code jdbc:postgresql://host:port/db} */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** {@code postgresql://host:port/db}, the form Quarkus's reactive client takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** {@code postgresql://user:password@host:port/db}, the form of {@code PG_URL} in {@code .rekey/stack.env}. */
    public String superuserUrl(String database) {
        return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
    }

    /** A superuser connection to {@code database}. */
    public Connection connect(String database) throws SQLException {
        // the driver itself, not DriverManager: a Quarkus test restarted under another profile starts its test
        // resources from a class loader that DriverManager does not consider to have registered the driver
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        return new org.postgresql.Driver().connect(jdbcUrl(database), login);
    }

    /** Creates {@code database} unless it exists. */
    public void createDatabase(String database) throws SQLException {
        try (Connection c = connect(defaultDatabase); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE \"" + database + "\"");
        }
    }

    /** Drops and recreates {@code database}. */
    public void recreateDatabase(String database) throws SQLException {
        try (Connection c = connect(defaultDatabase); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + database + "\"");
        }
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
