package dev.rekey.examples.orders;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.sql.SQLException;
import java.util.Map;

/**
 * A query that failed answers 503 problem+json with the SQL state only (a server message can quote a statement),
 * so that the load test can tell a refused login ({@code 28P01}) from a connection the server ended
 * ({@code 57P01}) or lost ({@code 08…}).
 */
public class DatabaseUnavailableMapper {

    private static final Logger LOG = Logger.getLogger(DatabaseUnavailableMapper.class);

    @ServerExceptionMapper
    public Response sqlFailure(SQLException e) {
        return unavailable(e.getSQLState());
    }

    @ServerExceptionMapper
    public Response pgFailure(PgException e) {
        return unavailable(e.getSqlState());
    }

    /** The reactive client reports a connection closed under a query without a SQL state. */
    @ServerExceptionMapper
    public Response closed(ClosedConnectionException e) {
        return unavailable("closed");
    }

    /**
     * The reactive pool hands out a connection the server has just ended with a bare
     * "Connection is not active now" (Vert.x's NoStackTraceThrowable, no type of its own).
     */
    @ServerExceptionMapper
    public Response inactive(NoStackTraceThrowable e) {
        String message = e.getMessage();
        if (message != null && message.startsWith("Connection is not active")) {
            return unavailable("closed");
        }
        LOG.debugf("query failed: %s", e.getClass().getName());
        return Response.status(500).type("application/problem+json")
                .entity(Map.of("type", "about:blank", "title", "query failed", "status", 500)).build();
    }

    private static Response unavailable(String sqlState) {
        String state = sqlState == null ? "unknown" : sqlState;
        LOG.debugf("query failed with SQL state %s", state);
        return Response.status(503).type("application/problem+json")
                .entity(Map.of("type", "about:blank", "title", "database unavailable", "status", 503,
                        "sqlState", state))
                .build();
    }
}
