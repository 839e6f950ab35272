package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rekey.devstack.HttpServers;
import dev.rekey.devstack.vault.KvV2Routes.Operation;
import dev.rekey.devstack.vault.VaultResponses.BadRequest;
import dev.rekey.devstack.vault.VaultResponses.Reply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for HashiCorp Vault that speaks the subset of Vault's HTTP API the rekey services use: KV version 2
 * ({@code data}, {@code metadata}, {@code delete}, {@code undelete}, {@code destroy} with check-and-set, versions and
 * custom metadata), tokens ({@code auth/token/create}, {@code lookup-self}, {@code renew-self}, {@code revoke-self}),
 * AppRole ({@code sys/auth}, roles, role ids, secret ids, login), ACL policies ({@code sys/policies/acl}) enforced on
 * every request but {@code sys/health} and logins, and {@code sys/health}. Responses, status codes and error bodies
 * follow Vault's API documentation and source.
 *
 * <p><b>For development and tests only.</b> It keeps everything in memory, has no leases for secrets, audit,
 * identity entities or encryption, and listens on 127.0.0.1 only. Against a real Vault, point the services at
 * {@code VAULT_ADDR} and their AppRole instead. It never logs a secret value, a token, nor any request body.
 */
public final class VaultDevServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(VaultDevServer.class.getName());
    private static final String VERSION = "1.19.0+rekey-devserver";
    private static final int THREADS = 16;

    private final HttpServer server;
    private final ExecutorService executor;
    private final String rootToken;
    private final Map<String, KvV2Store> mounts = new ConcurrentHashMap<>();
    private final Map<String, AppRoleBackend> appRoles = new ConcurrentHashMap<>();
    private final TokenStore tokens = new TokenStore();
    private final PolicyStore policies = new PolicyStore();
    private final SysRoutes sys = new SysRoutes(appRoles, tokens, policies);
    private final TokenRoutes tokenRoutes = new TokenRoutes(tokens, policies, this::renewalLimits);
    private final AtomicReference<InjectedFailures> failures = new AtomicReference<>(new InjectedFailures(0, 500));
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String clusterId = UUID.randomUUID().toString();
    private final String clusterName = "vault-cluster-" + clusterId.substring(0, 8);

    /** The next {@code remaining} non-health requests answer {@code status}. */
    private record InjectedFailures(int remaining, int status) {
    }

    private VaultDevServer(HttpServer server, ExecutorService executor, String rootToken) {
        this.server = server;
        this.executor = executor;
        this.rootToken = rootToken;
        tokens.addRoot(rootToken);
    }

    /**
     * Starts a server on 127.0.0.1 with a KV v2 mount at {@code secret}, as {@code vault server -dev} has.
     *
     * @param port the port, or 0 for any free one
     * @param rootToken the root token (policy {@code root}), in {@code X-Vault-Token} or {@code Authorization: Bearer}
     */
    public static VaultDevServer start(int port, String rootToken) {
        if (rootToken == null || rootToken.isBlank()) {
            throw new IllegalArgumentException("a root token is required");
        }
        try {
            // TCP_NODELAY, as real Vault (HttpServers)
            HttpServer server = HttpServers.create(InetAddress.getByName("127.0.0.1"), port, 256);
            AtomicInteger threadNumber = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
                Thread thread = new Thread(task, "vault-dev-" + threadNumber.incrementAndGet());
                thread.setDaemon(true); // a forgotten close() must not keep a test JVM alive
                return thread;
            });
            VaultDevServer vault = new VaultDevServer(server, executor, rootToken);
            vault.mountKv2("secret");
            server.setExecutor(executor);
            server.createContext("/", vault::handle);
            server.start();
            return vault;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Vault dev server on port " + port, e);
        }
    }

    /** The base URL to use as {@code VAULT_ADDR}, e.g. {@code http://127.0.0.1:8200}. */
    public String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String rootToken() {
        return rootToken;
    }

    /** Adds a KV version 2 mount at {@code name} (like {@code vault secrets enable -path=name kv-v2}). */
    public VaultDevServer mountKv2(String name) {
        String path = name.replaceAll("^/+|/+$", "");
        if (path.isEmpty() || path.startsWith("sys") || path.equals("auth") || path.startsWith("auth/")) {
            throw new IllegalArgumentException("not a mount path: " + name);
        }
        mounts.putIfAbsent(path, new KvV2Store());
        return this;
    }

    /**
     * Makes the next {@code count} requests other than {@code sys/health} fail with {@code status} and Vault's error
     * body for it (503 "Vault is sealed", 500 "internal error", ...), without touching any state: for retry and
     * crash tests.
     */
    public void failNext(int count, int status) {
        if (count < 0 || status < 100 || status > 599) {
            throw new IllegalArgumentException("count must be >= 0 and status an HTTP status");
        }
        failures.set(new InjectedFailures(count, status));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        int status = 500;
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Reply reply;
            try {
                reply = route(exchange, method, path, body);
            } catch (BadRequest e) {
                reply = Reply.error(400, e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Vault dev server failed on " + method + " " + path, e);
                reply = Reply.error(500, "internal error");
            }
            status = reply.status();
            VaultResponses.send(exchange, reply);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "client went away during " + method + " " + path);
        } finally {
            // Method, path and status only: a body may hold a secret.
            LOG.log(System.Logger.Level.DEBUG, "{0} {1} -> {2}", method, path, status);
        }
    }

    private Reply route(HttpExchange exchange, String method, String rawPath, byte[] body) {
        if (!rawPath.startsWith("/v1/") || rawPath.length() == "/v1/".length()) {
            return Reply.notFound();
        }
        String path = rawPath.substring("/v1/".length());
        Map<String, String> query = VaultRequests.query(exchange.getRequestURI());
        if (path.equals("sys/health")) {
            return health(method, query);
        }
        Reply injected = takeInjectedFailure();
        if (injected != null) {
            return injected;
        }
        // Vault's order: method and body are checked before the token, the token before the route.
        Operation operation = VaultRequests.operation(method, query);
        if (operation == null) {
            return Reply.error(405);
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (operation == Operation.PATCH && !VaultRequests.isMergePatch(contentType)) {
            return Reply.error(415);
        }
        boolean hasBody = operation == Operation.UPDATE || operation == Operation.PATCH;
        JsonNode json = hasBody ? VaultRequests.body(body) : object();
        AppRoleBackend login = loginMount(path);
        if (login != null) {
            return login.login(operation, json);
        }
        Token token = tokens.lookup(clientToken(exchange));
        if (token == null) {
            return Reply.error(403, "permission denied");
        }
        boolean sudo = true;
        if (!token.isRoot()) {
            // Vault's HTTP layer adds the trailing slash of a LIST before the policy check.
            String aclPath = operation == Operation.LIST && !path.endsWith("/") ? path + "/" : path;
            Acl.Decision decision = policies.acl(token.policies()).check(aclPath, capabilityNeeded(operation, path));
            if (!decision.allowed() || (SysRoutes.rootProtected(path) && !decision.sudo())) {
                return Reply.error(403, VaultResponses.multiError(List.of("permission denied")));
            }
            sudo = decision.sudo();
        }
        return dispatch(new VaultRequest(operation, path, query, json, token, sudo));
    }

    private Reply dispatch(VaultRequest request) {
        String path = request.path();
        if (path.startsWith("sys/")) {
            return sys.handle(request, path.substring("sys/".length()));
        }
        if (path.startsWith("auth/token/")) {
            return tokenRoutes.handle(request, path.substring("auth/token/".length()));
        }
        AppRoleBackend appRole = appRoleOf(path);
        if (appRole != null) {
            return appRole.handle(request, below(path, "auth/" + appRole.mount()));
        }
        String mount = mountOf(path);
        if (mount == null) {
            return Reply.error(404, "no handler for route \"" + path + "\". route entry not found.");
        }
        return KvV2Routes.dispatch(mounts.get(mount), below(path, mount), request.operation(), request.query(),
                request.body());
    }

    /**
     * The capability a request needs. A write is a {@code create} when the backend's existence check finds nothing
     * there (a KV v2 key without metadata, an AppRole role that is not there), else an {@code update}.
     */
    private Capability capabilityNeeded(Operation operation, String path) {
        return switch (operation) {
            case READ -> Capability.READ;
            case LIST -> Capability.LIST;
            case DELETE -> Capability.DELETE;
            case PATCH -> Capability.PATCH;
            case UPDATE -> creates(path) ? Capability.CREATE : Capability.UPDATE;
        };
    }

    private boolean creates(String path) {
        AppRoleBackend appRole = appRoleOf(path);
        if (appRole != null) {
            return appRole.creates(below(path, "auth/" + appRole.mount()));
        }
        String mount = path.startsWith("sys/") || path.startsWith("auth/") ? null : mountOf(path);
        return mount != null && KvV2Routes.creates(mounts.get(mount), below(path, mount));
    }

    /** The AppRole mount whose unauthenticated login endpoint this is, if any. */
    private AppRoleBackend loginMount(String path) {
        AppRoleBackend appRole = appRoleOf(path);
        return appRole != null && below(path, "auth/" + appRole.mount()).equals("login") ? appRole : null;
    }

    private AppRoleBackend appRoleOf(String path) {
        AppRoleBackend best = null;
        for (AppRoleBackend backend : appRoles.values()) {
            String prefix = "auth/" + backend.mount();
            boolean inside = path.equals(prefix) || path.startsWith(prefix + "/");
            if (inside && (best == null || backend.mount().length() > best.mount().length())) {
                best = backend;
            }
        }
        return best;
    }

    private TokenRoutes.RenewalLimits renewalLimits(Token token) {
        String issuer = token.appRole();
        int slash = issuer.lastIndexOf('/');
        AppRoleBackend backend = appRoles.get(issuer.substring(0, slash));
        if (backend == null) {
            throw new VaultResponses.BadRequest("the auth method that issued this token is disabled");
        }
        return backend.renewalLimits(issuer.substring(slash + 1));
    }

    private static String below(String path, String prefix) {
        return path.length() > prefix.length() ? path.substring(prefix.length() + 1) : "";
    }

    private Reply health(String method, Map<String, String> query) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Reply.error(405);
        }
        ObjectNode health = object();
        health.put("initialized", true);
        health.put("sealed", false);
        health.put("standby", false);
        health.put("performance_standby", false);
        health.put("replication_performance_mode", "disabled");
        health.put("replication_dr_mode", "disabled");
        health.put("server_time_utc", Instant.now().getEpochSecond());
        health.put("version", VERSION);
        health.put("cluster_name", clusterName);
        health.put("cluster_id", clusterId);
        String activeCode = query.get("activecode");
        int status = activeCode != null && activeCode.matches("[1-5]\\d\\d") ? Integer.parseInt(activeCode) : 200;
        return new Reply(status, health);
    }

    private Reply takeInjectedFailure() {
        InjectedFailures before = failures.getAndUpdate(f -> f.remaining() > 0
                ? new InjectedFailures(f.remaining() - 1, f.status())
                : f);
        if (before.remaining() == 0) {
            return null;
        }
        String message = switch (before.status()) {
            case 403 -> "permission denied";
            case 429 -> "rate limit quota exceeded";
            case 500 -> "internal error";
            case 503 -> "Vault is sealed";
            default -> "injected failure";
        };
        return Reply.error(before.status(), message);
    }

    /** Vault takes the token from X-Vault-Token, else from a bearer Authorization header. */
    private static String clientToken(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (token == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        }
        return token;
    }

    /** The longest mount path that {@code path} lies in, as Vault's router matches. */
    private String mountOf(String path) {
        String best = null;
        for (String mount : mounts.keySet()) {
            boolean inside = path.equals(mount) || path.startsWith(mount + "/");
            if (inside && (best == null || mount.length() > best.length())) {
                best = mount;
            }
        }
        return best;
    }

    private static ObjectNode object() {
        return VaultResponses.object();
    }

    /**
     * Runs a dev server until the JVM is stopped: {@code VaultDevServer [port]} (default 8200), root token from
     * {@code VAULT_DEV_ROOT_TOKEN_ID} (default {@code root}), as {@code vault server -dev} reads it.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8200;
        String token = System.getenv().getOrDefault("VAULT_DEV_ROOT_TOKEN_ID", "root");
        VaultDevServer vault = start(port, token);
        Runtime.getRuntime().addShutdownHook(new Thread(vault::close, "vault-dev-shutdown"));
        System.out.println("Vault dev server (rekey devstack, dev/test only) listening");
        System.out.println("VAULT_ADDR=" + vault.address());
        System.out.println("root token: from VAULT_DEV_ROOT_TOKEN_ID (default \"root\")");
        Thread.currentThread().join();
    }
}
