package dev.rekey.inventory.discovery;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Caller;
import dev.rekey.inventory.api.StoredInstant;
import dev.rekey.inventory.audit.AuditAction;
import dev.rekey.inventory.audit.AuditLog;
import dev.rekey.inventory.credential.domain.Credential;
import dev.rekey.inventory.credential.domain.CredentialStatus;
import dev.rekey.inventory.credential.service.RotationPolicyDefaults;
import dev.rekey.inventory.system.domain.DownstreamSystem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the secrets of a KV v2 prefix that the inventory does not know and registers each as an unowned credential
 * of a system, so that a credential nobody registered ("believed unused") still shows in the stale report and in a
 * blast radius. Vault's LIST has no paging: the walk pages itself, a folder at a time, within bounds, and a run
 * that hits a bound says so; the next run goes on, since what it registered is known then. Folders the inventory's
 * Vault policy denies are skipped (a denied prefix is 503).
 */
@ApplicationScoped
public class Discovery {

    private static final Logger LOG = Logger.getLogger(Discovery.class);
    private static final String DISCOVERED_KIND = "discovered";
    /** A key the inventory can hold as (part of) a Vault path; folders end in a slash. */
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("(?!\\.\\.?/?$)[A-Za-z0-9_.-]+/?");

    private final VaultDirectory vault;
    private final AuditLog audit;
    private final RotationPolicyDefaults defaults;
    private final Config config;

    Discovery(VaultDirectory vault, AuditLog audit, RotationPolicyDefaults defaults, Config config) {
        this.vault = vault;
        this.audit = audit;
        this.defaults = defaults;
        this.config = config;
    }

    /** Walks the prefix (on a worker thread: the driver blocks), then registers what is new in one transaction. */
    public Uni<DiscoveryResult> discover(String systemId, DiscoveryRequest request, Caller caller) {
        Context context = Vertx.currentContext();
        return Panache.withSession(() -> DownstreamSystem.<DownstreamSystem>findById(systemId))
                .invoke(system -> {
                    if (system == null) {
                        throw ApiProblem.notFound("system", systemId);
                    }
                })
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(system -> walk(request.mount(), request.folder()))
                // Hibernate Reactive works on the request's event loop only
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .chain(walk -> Panache.withTransaction(() -> register(systemId, request, walk, caller)))
                .onFailure(VaultDirectory.VaultUnavailableException.class)
                .transform(e -> ApiProblem.unavailable(e.getMessage()));
    }

    /**
     * The secrets the walk found, in walk order, whether it stopped at a bound, and how many keys it left out
     * because the inventory cannot hold their path (characters outside {@code [A-Za-z0-9_.-]}, or too long).
     */
    record Walk(List<String> secrets, boolean truncated, int skipped) {
    }

    private Walk walk(String mount, String prefix) {
        List<String> secrets = new ArrayList<>();
        Deque<String> folders = new ArrayDeque<>(List.of(prefix));
        int listings = 0;
        int skipped = 0;
        while (!folders.isEmpty()) {
            if (listings == config.maxListings() || secrets.size() >= config.maxSecrets()) {
                return new Walk(secrets, true, skipped);
            }
            String folder = folders.removeFirst();
            listings++;
            List<String> keys;
            try {
                keys = vault.list(mount, folder);
            } catch (VaultDirectory.ListingDeniedException e) {
                if (folder.equals(prefix)) {
                    throw new VaultDirectory.VaultUnavailableException(
                            "the inventory's Vault policy does not allow listing " + e.getMessage());
                }
                // a folder the policy keeps from the inventory (rekey's own entries): not there for discovery
                skipped++;
                continue;
            }
            for (String key : keys) {
                if (!KEY.matcher(key).matches() || (folder + key).length() > config.maxPathLength()) {
                    skipped++;
                } else if (key.endsWith("/")) {
                    if (!config.excludedFolders().contains(folder + key)) {
                        folders.addLast(folder + key);
                    }
                } else {
                    secrets.add(folder + key);
                }
            }
        }
        return new Walk(secrets, false, skipped);
    }

    private Uni<DiscoveryResult> register(String systemId, DiscoveryRequest request, Walk walk, Caller caller) {
        if (walk.secrets().isEmpty()) {
            return Uni.createFrom().item(result(systemId, request, walk, 0, List.of(), !walk.truncated()));
        }
        return Credential.<Credential>list("vaultMount = ?1 and vaultPath in ?2", request.mount(), walk.secrets())
                .chain(known -> {
                    Set<String> knownPaths = new HashSet<>();
                    known.forEach(c -> knownPaths.add(c.vaultPath));
                    List<String> unknown = walk.secrets().stream().filter(p -> !knownPaths.contains(p)).toList();
                    List<Credential> fresh = unknown.stream().limit(config.maxRegistered())
                            .map(path -> unowned(systemId, request.mount(), path)).toList();
                    boolean complete = !walk.truncated() && unknown.size() <= config.maxRegistered();
                    DiscoveryResult result = result(systemId, request, walk, knownPaths.size(),
                            fresh.stream().map(c -> c.id).toList(), complete);
                    if (fresh.isEmpty()) {
                        return Uni.createFrom().item(result);
                    }
                    return Panache.getSession().chain(session -> session.persistAll(fresh.toArray()))
                            .call(() -> audit.record(caller, AuditAction.SYSTEM_DISCOVERED, systemId, List.of(),
                                    "registered " + fresh.size() + " unowned credential(s) from " + request.mount()
                                            + "/" + request.folder()))
                            .invoke(() -> LOG.infof("discovery on system %s registered %d unowned credential(s)",
                                    systemId, fresh.size()))
                            .replaceWith(result);
                });
    }

    private static DiscoveryResult result(String systemId, DiscoveryRequest request, Walk walk, int known,
                                          List<String> registered, boolean complete) {
        return new DiscoveryResult(systemId, request.mount(), request.folder(), walk.secrets().size(), known,
                registered, walk.skipped(), complete);
    }

    private Credential unowned(String systemId, String mount, String path) {
        Credential c = new Credential();
        c.id = idFor(mount, path);
        c.name = path;
        c.kind = DISCOVERED_KIND;
        c.vaultMount = mount;
        c.vaultPath = path;
        c.systemId = systemId;
        c.tags = List.of();
        c.exposedVia = List.of();
        c.grantsAccessTo = List.of(systemId);
        c.maxAgeDays = defaults.maxAgeDays();
        c.generator = defaults.generator();
        c.strategy = defaults.strategy();
        c.status = CredentialStatus.UNOWNED;
        c.createdAt = StoredInstant.now();
        return c;
    }

    /** A readable id from the path, made unique by a hash of mount and path, so that a rerun finds the same id. */
    static String idFor(String mount, String path) {
        String readable = path.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-")
                .replaceAll("^[^a-z0-9]+", "");
        readable = readable.substring(0, Math.min(40, readable.length())).replaceAll("[^a-z0-9]+$", "");
        String hash = hash(mount + "/" + path).substring(0, 10);
        return readable.isEmpty() ? "discovered-" + hash : readable + "-" + hash;
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bounds of one discovery run. */
    @ConfigMapping(prefix = "rekey.discovery")
    public interface Config {

        /** Most folders listed in one run (one Vault LIST each). */
        @WithDefault("2000")
        int maxListings();

        /** Most secrets one run looks at. */
        @WithDefault("20000")
        int maxSecrets();

        /** Most unowned credentials one run registers; the next run registers the next ones. */
        @WithDefault("1000")
        int maxRegistered();

        /** Longer paths than this are skipped (the inventory's limit of a Vault path). */
        @WithDefault("500")
        int maxPathLength();

        /**
         * Folders (from the mount's root) that hold rekey's own entries, not credentials: systems' admin logins,
         * owners' channel secrets, the worker's write-ahead records. The inventory's policy denies them too.
         */
        @WithDefault("rekey/,rekey-pending/")
        List<String> excludedFolders();
    }
}
