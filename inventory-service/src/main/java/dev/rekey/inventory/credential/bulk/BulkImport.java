package dev.rekey.inventory.credential.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.Problem;
import dev.rekey.inventory.api.RequestErrors;
import dev.rekey.inventory.api.RequestLimits;
import dev.rekey.inventory.api.StoreConstraints;
import dev.rekey.inventory.audit.AuditAction;
import dev.rekey.inventory.audit.AuditLog;
import dev.rekey.inventory.credential.rest.CredentialRequest;
import dev.rekey.inventory.credential.service.CredentialRules;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import org.jboss.logging.Logger;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports many credentials in one transaction: every row is read from the body as a stream, checked like a single
 * registration (and against the rows before it), and inserted in batches; one invalid row rolls everything back and
 * the answer lists every row's errors. Runs on a worker thread: it blocks on the body and on the database.
 */
@ApplicationScoped
public class BulkImport {

    private static final Logger LOG = Logger.getLogger(BulkImport.class);

    private final Pool pool;
    private final ObjectMapper json;
    private final Validator validator;
    private final CredentialRules rules;
    private final AuditLog audit;
    private final Config config;
    private final RequestLimits.Config limits;

    BulkImport(Pool pool, ObjectMapper json, Validator validator, CredentialRules rules, AuditLog audit,
               Config config, RequestLimits.Config limits) {
        this.limits = limits;
        this.pool = pool;
        this.json = json;
        this.validator = validator;
        this.rules = rules;
        this.audit = audit;
        this.config = config;
    }

    /**
     * Imports every row of {@code body} or none.
     *
     * @throws ApiProblem 400 (invalid rows), 422 (unknown systems or owners) or 409 (ids, secrets or accounts taken)
     *                    with the errors of each row; 413 past {@code rekey.bulk.max-rows}
     */
    public BulkResult importAll(BulkFormat format, InputStream body, Caller caller) {
        long start = System.nanoTime();
        Duration timeout = config.timeout();
        SqlConnection connection = pool.getConnection().await().atMost(timeout);
        try (BulkRows rows = BulkRows.open(format, new BoundedBody(body, limits.maxBulkBodySize().asLongValue()), json)) {
            Transaction transaction = connection.begin().await().atMost(timeout);
            BulkBatch batch = new BulkBatch(connection, rules, timeout);
            BulkErrors errors = new BulkErrors(config.maxReportedErrors());
            List<String> imported = new ArrayList<>();
            try {
                for (BulkRows.Row row = rows.next(); row != null; row = rows.next()) {
                    if (row.number() > config.maxRows()) {
                        throw new ApiProblem(413, "content-too-large", "Content Too Large",
                                "a bulk import holds at most " + config.maxRows() + " credentials", List.of());
                    }
                    if (check(row, caller, errors)) {
                        batch.add(row, caller, errors);
                    }
                    if (batch.size() >= config.batchSize()) {
                        imported.addAll(batch.flush(errors));
                    }
                }
                imported.addAll(batch.flush(errors));
                if (rows.rowsRead() == 0) {
                    throw ApiProblem.invalid("", "the import holds no credentials");
                }
                if (!errors.isEmpty()) {
                    throw errors.toProblem(rows.rowsRead());
                }
                audit.recordAll(connection, caller, AuditAction.CREDENTIAL_IMPORTED, imported,
                        "bulk import of " + imported.size()).await().atMost(timeout);
                transaction.commit().await().atMost(timeout);
            } catch (RuntimeException e) {
                transaction.rollback().await().atMost(timeout);
                ApiProblem stored = StoreConstraints.problemFor(e);
                throw stored != null ? stored : e;
            }
            LOG.infof("bulk import of %d credentials by %s in %d ms", imported.size(), caller.subject(),
                    (System.nanoTime() - start) / 1_000_000);
            return new BulkResult(imported.size());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            connection.close().await().atMost(timeout);
        }
    }

    /** Field checks and the cross-field rules; true when the row may go on to the database checks. */
    private boolean check(BulkRows.Row row, Caller caller, BulkErrors errors) {
        if (!row.errors().isEmpty()) {
            errors.add(BulkErrors.Kind.INVALID, row.errors());
            return false;
        }
        CredentialRequest request = row.request();
        List<Problem.FieldError> invalid = new ArrayList<>();
        if (request.id() == null) {
            invalid.add(new Problem.FieldError(row.number(), "id", "must not be null"));
        }
        validator.validate(request).forEach(v ->
                invalid.add(new Problem.FieldError(row.number(), RequestErrors.field(v), v.getMessage())));
        if (invalid.isEmpty()) {
            rules.check(request, caller).forEach(e ->
                    invalid.add(new Problem.FieldError(row.number(), e.field(), e.message())));
        }
        errors.add(BulkErrors.Kind.INVALID, invalid);
        return invalid.isEmpty();
    }

    /** Limits of bulk imports. */
    @ConfigMapping(prefix = "rekey.bulk")
    public interface Config {

        /** Most credentials in one import; more is 413. */
        @WithDefault("50000")
        int maxRows();

        /** Rows checked against the database and inserted per statement. */
        @WithDefault("2000")
        int batchSize();

        /** Most row errors listed in a rejection (all are counted). */
        @WithDefault("1000")
        int maxReportedErrors();

        /** How long one database step of an import may take. */
        @WithDefault("60s")
        Duration timeout();
    }
}
