package dev.rekey.examples.orders;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Counts live and archived orders, each through the JDBC pool and through the reactive pool, so that every kind of
 * connection the integration serves is exercised. Each datasource logs in with its own rekey credential.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    private static final String LIVE = "SELECT count(*), current_user FROM orders";
    private static final String ARCHIVED = "SELECT count(*), current_user FROM archived_orders";

    private final AgroalDataSource live;
    private final AgroalDataSource archive;
    private final Pool liveReactive;
    private final Pool archiveReactive;

    public OrdersResource(AgroalDataSource live, @DataSource("archive") AgroalDataSource archive, Pool liveReactive,
                          @ReactiveDataSource("archive") Pool archiveReactive) {
        this.live = live;
        this.archive = archive;
        this.liveReactive = liveReactive;
        this.archiveReactive = archiveReactive;
    }

    @GET
    @Path("/orders/count")
    @Blocking
    public OrderCount liveOrders() throws SQLException {
        return count(live, LIVE);
    }

    @GET
    @Path("/orders/count-reactive")
    public Uni<OrderCount> liveOrdersReactive() {
        return count(liveReactive, LIVE);
    }

    @GET
    @Path("/archive/count")
    @Blocking
    public OrderCount archivedOrders() throws SQLException {
        return count(archive, ARCHIVED);
    }

    @GET
    @Path("/archive/count-reactive")
    public Uni<OrderCount> archivedOrdersReactive() {
        return count(archiveReactive, ARCHIVED);
    }

    private static OrderCount count(AgroalDataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new OrderCount(rs.getLong(1), rs.getString(2));
        }
    }

    private static Uni<OrderCount> count(Pool pool, String sql) {
        return pool.query(sql).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new OrderCount(row.getLong(0), row.getString(1));
        });
    }
}
