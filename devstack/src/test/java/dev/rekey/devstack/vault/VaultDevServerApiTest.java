package dev.rekey.devstack.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw HTTP against the dev server, held to the shapes and status codes of Vault's API documentation (KV v2 and
 * sys/health) and of Vault's KV plugin.
 */
class VaultDevServerApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RFC3339_NANO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{0,8}[1-9])?Z";

    private static VaultDevServer server;
    private static HttpClient http;

    @BeforeAll
    static void startServer() {
        server = VaultDevServer.start(0, "root-" + UUID.randomUUID());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    // --- reads and writes -----------------------------------------------------------------------------------------

    @Test
    void readCarriesVaultsFullEnvelopeAndVersionMetadata() throws Exception {
        call("POST", "secret/data/api/envelope", "{\"data\":{\"password\":\"p\",\"user\":\"u\"}}");

        HttpResponse<String> read = call("GET", "secret/data/api/envelope", null);
        JsonNode body = json(read);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(names(body)).containsExactly("request_id", "lease_id", "renewable", "lease_duration", "data",
                "wrap_info", "warnings", "auth", "mount_type");
        assertThat(body.get("lease_id").asText()).isEmpty();
        assertThat(body.get("lease_duration").asInt()).isZero();
        assertThat(body.get("wrap_info").isNull()).isTrue();
        assertThat(body.get("mount_type").asText()).isEqualTo("kv");
        assertThat(names(body.get("data"))).containsExactly("data", "metadata");
        assertThat(body.at("/data/data/password").asText()).isEqualTo("p");
        JsonNode metadata = body.at("/data/metadata");
        assertThat(names(metadata)).containsExactly("created_time", "custom_metadata", "deletion_time", "destroyed",
                "version");
        assertThat(metadata.get("created_time").asText()).matches(RFC3339_NANO);
        assertThat(metadata.get("custom_metadata").isNull()).isTrue();
        assertThat(metadata.get("deletion_time").asText()).isEmpty();
        assertThat(metadata.get("destroyed").asBoolean()).isFalse();
        assertThat(metadata.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void writeAnswersWithTheNewVersionsMetadata() throws Exception {
        call("POST", "secret/data/api/write-answer", "{\"data\":{\"k\":\"1\"}}");
        HttpResponse<String> second = call("PUT", "secret/data/api/write-answer", "{\"data\":{\"k\":\"2\"}}");

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(names(json(second).get("data"))).containsExactly("created_time", "custom_metadata",
                "deletion_time", "destroyed", "version");
        assertThat(json(second).at("/data/version").asLong()).isEqualTo(2);
    }

    @Test
    void readOfAbsentSecretOrVersionIs404WithEmptyErrors() throws Exception {
        call("POST", "secret/data/api/one-version", "{\"data\":{\"k\":\"v\"}}");

        HttpResponse<String> absent = call("GET", "secret/data/api/absent", null);
        HttpResponse<String> noSuchVersion = call("GET", "secret/data/api/one-version?version=7", null);

        assertThat(absent.statusCode()).isEqualTo(404);
        assertThat(absent.body()).isEqualTo("{\"errors\":[]}");
        assertThat(noSuchVersion.statusCode()).isEqualTo(404);
        assertThat(noSuchVersion.body()).isEqualTo("{\"errors\":[]}");
    }

    @Test
    void readOfSoftDeletedLatestVersionIs404WithNullDataAndItsMetadata() throws Exception {
        call("POST", "secret/data/api/deleted-latest", "{\"data\":{\"k\":\"v\"}}");

        assertThat(call("DELETE", "secret/data/api/deleted-latest", null).statusCode()).isEqualTo(204);
        HttpResponse<String> read = call("GET", "secret/data/api/deleted-latest", null);

        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(json(read).at("/data/data").isNull()).isTrue();
        assertThat(json(read).at("/data/metadata/deletion_time").asText()).matches(RFC3339_NANO);
        assertThat(json(read).at("/data/metadata/version").asLong()).isEqualTo(1);
    }

    @Test
    void writeWithoutDataIs400NoDataProvided() throws Exception {
        HttpResponse<String> write = call("POST", "secret/data/api/no-data", "{\"options\":{}}");

        assertThat(write.statusCode()).isEqualTo(400);
        assertThat(json(write).get("errors").get(0).asText()).isEqualTo("no data provided");
    }

    @Test
    void malformedJsonBodyIs400WithAnError() throws Exception {
        HttpResponse<String> write = call("POST", "secret/data/api/malformed", "{\"data\": {");

        assertThat(write.statusCode()).isEqualTo(400);
        assertThat(json(write).get("errors").get(0).asText()).startsWith("failed to parse JSON input");
        assertThat(call("GET", "secret/data/api/malformed", null).statusCode()).isEqualTo(404);
    }

    // --- check-and-set and versions -------------------------------------------------------------------------------

    @Test
    void staleCheckAndSetIs400WithVaultsMessageAndWritesNothing() throws Exception {
        call("POST", "secret/data/api/cas", "{\"data\":{\"k\":\"1\"}}");

        HttpResponse<String> stale = call("POST", "secret/data/api/cas",
                "{\"data\":{\"k\":\"x\"},\"options\":{\"cas\":0}}");

        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(stale.body())
                .isEqualTo("{\"errors\":[\"check-and-set parameter did not match the current version\"]}");
        assertThat(json(call("GET", "secret/data/api/cas", null)).at("/data/metadata/version").asLong())
                .isEqualTo(1);
    }

    @Test
    void casRequiredRefusesWritesWithoutCas() throws Exception {
        assertThat(call("POST", "secret/metadata/api/cas-required", "{\"cas_required\":true}").statusCode())
                .isEqualTo(204);

        HttpResponse<String> withoutCas = call("POST", "secret/data/api/cas-required", "{\"data\":{\"k\":\"1\"}}");
        HttpResponse<String> withCas = call("POST", "secret/data/api/cas-required",
                "{\"data\":{\"k\":\"1\"},\"options\":{\"cas\":0}}");

        assertThat(withoutCas.statusCode()).isEqualTo(400);
        assertThat(json(withoutCas).get("errors").get(0).asText())
                .isEqualTo("check-and-set parameter required for this call");
        assertThat(withCas.statusCode()).isEqualTo(200);
    }

    @Test
    void maxVersionsTrimsTheOldestVersions() throws Exception {
        call("POST", "secret/metadata/api/trimmed", "{\"max_versions\":2}");
        for (int i = 1; i <= 3; i++) {
            call("POST", "secret/data/api/trimmed", "{\"data\":{\"n\":\"" + i + "\"}}");
        }

        JsonNode metadata = json(call("GET", "secret/metadata/api/trimmed", null)).get("data");

        assertThat(metadata.get("current_version").asLong()).isEqualTo(3);
        assertThat(metadata.get("oldest_version").asLong()).isEqualTo(2);
        assertThat(names(metadata.get("versions"))).containsExactly("2", "3");
        assertThat(call("GET", "secret/data/api/trimmed?version=1", null).statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "secret/data/api/trimmed?version=2", null)).at("/data/data/n").asText())
                .isEqualTo("2");
    }

    @Test
    void withoutMaxVersionsTenVersionsAreKept() throws Exception {
        for (int i = 1; i <= 12; i++) {
            call("POST", "secret/data/api/default-max", "{\"data\":{\"n\":\"" + i + "\"}}");
        }

        JsonNode metadata = json(call("GET", "secret/metadata/api/default-max", null)).get("data");

        assertThat(metadata.get("max_versions").asInt()).isZero();
        assertThat(metadata.get("versions").size()).isEqualTo(10);
        assertThat(metadata.get("oldest_version").asLong()).isEqualTo(3);
        assertThat(call("GET", "secret/data/api/default-max?version=2", null).statusCode()).isEqualTo(404);
    }

    @Test
    void destroyMarksTheVersionDestroyedInMetadata() throws Exception {
        call("POST", "secret/data/api/destroyed", "{\"data\":{\"k\":\"1\"}}");
        call("POST", "secret/data/api/destroyed", "{\"data\":{\"k\":\"2\"}}");

        assertThat(call("POST", "secret/destroy/api/destroyed", "{\"versions\":[1]}").statusCode()).isEqualTo(204);
        JsonNode versions = json(call("GET", "secret/metadata/api/destroyed", null)).at("/data/versions");

        assertThat(versions.at("/1/destroyed").asBoolean()).isTrue();
        assertThat(versions.at("/2/destroyed").asBoolean()).isFalse();
    }

    @Test
    void deleteUndeleteDestroyWithoutVersionsAre400() throws Exception {
        call("POST", "secret/data/api/no-versions", "{\"data\":{\"k\":\"1\"}}");

        assertThat(json(call("POST", "secret/delete/api/no-versions", "{}")).get("errors").get(0).asText())
                .isEqualTo("No version number provided");
        assertThat(call("POST", "secret/undelete/api/no-versions", "{}").statusCode()).isEqualTo(400);
        assertThat(json(call("POST", "secret/destroy/api/no-versions", "{\"versions\":[]}")).get("errors").get(0)
                .asText()).isEqualTo("no version number provided");
    }

    // --- metadata ---------------------------------------------------------------------------------------------------

    @Test
    void metadataCarriesTheDocumentedKeys() throws Exception {
        call("POST", "secret/data/api/metadata-keys", "{\"data\":{\"k\":\"1\"}}");

        HttpResponse<String> read = call("GET", "secret/metadata/api/metadata-keys", null);
        JsonNode data = json(read).get("data");

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(names(data)).containsExactlyInAnyOrder("cas_required", "created_time", "current_version",
                "custom_metadata", "delete_version_after", "max_versions", "oldest_version", "updated_time",
                "versions");
        assertThat(data.get("delete_version_after").asText()).isEqualTo("0s");
        assertThat(data.get("oldest_version").asLong()).isZero();
        assertThat(data.get("updated_time").asText()).matches(RFC3339_NANO);
        assertThat(names(data.at("/versions/1"))).containsExactly("created_time", "deletion_time", "destroyed");
    }

    @Test
    void metadataOfAbsentKeyIs404() throws Exception {
        HttpResponse<String> read = call("GET", "secret/metadata/api/no-such-key", null);

        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(read.body()).isEqualTo("{\"errors\":[]}");
    }

    @Test
    void metadataWriteIs204AndReplacesCustomMetadataWhole() throws Exception {
        String path = "secret/metadata/api/custom";
        assertThat(call("POST", path, "{\"custom_metadata\":{\"a\":\"1\",\"b\":\"2\"},\"max_versions\":5,"
                + "\"delete_version_after\":\"3h25m19s\"}").statusCode()).isEqualTo(204);
        assertThat(call("POST", path, "{\"custom_metadata\":{\"c\":\"3\"}}").statusCode()).isEqualTo(204);

        JsonNode data = json(call("GET", path, null)).get("data");

        assertThat(names(data.get("custom_metadata"))).containsExactly("c");
        assertThat(data.get("max_versions").asInt()).isEqualTo(5);
        assertThat(data.get("delete_version_after").asText()).isEqualTo("3h25m19s");
        assertThat(data.get("current_version").asLong()).isZero();
    }

    @Test
    void metadataMergePatchMergesAndNullRemovesAKey() throws Exception {
        String path = "secret/metadata/api/patched";
        call("POST", path, "{\"custom_metadata\":{\"keep\":\"1\",\"drop\":\"2\"}}");

        HttpResponse<String> patch = call("PATCH", path, "{\"custom_metadata\":{\"drop\":null,\"add\":\"3\"}}",
                "Content-Type", "application/merge-patch+json");
        JsonNode custom = json(call("GET", path, null)).at("/data/custom_metadata");

        assertThat(patch.statusCode()).isEqualTo(204);
        assertThat(names(custom)).containsExactly("add", "keep");
    }

    @Test
    void metadataPatchNeedsMergePatchContentTypeAndAnExistingKey() throws Exception {
        call("POST", "secret/metadata/api/patch-rules", "{\"max_versions\":3}");

        HttpResponse<String> wrongType = call("PATCH", "secret/metadata/api/patch-rules", "{\"max_versions\":4}",
                "Content-Type", "application/json");
        HttpResponse<String> absent = call("PATCH", "secret/metadata/api/patch-absent", "{\"max_versions\":4}",
                "Content-Type", "application/merge-patch+json");

        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(absent.statusCode()).isEqualTo(404);
    }

    @Test
    void customMetadataWithAnEmptyValueFailsValidation() throws Exception {
        HttpResponse<String> write = call("POST", "secret/metadata/api/bad-custom",
                "{\"custom_metadata\":{\"k\":\"\"}}");

        assertThat(write.statusCode()).isEqualTo(400);
        assertThat(json(write).get("errors").get(0).asText()).isEqualTo("1 error occurred:\n\t* custom_metadata "
                + "validation failed: length of value for key \"k\" is 0 but must be 0 < len(value) <= 512\n\n");
        assertThat(call("GET", "secret/metadata/api/bad-custom", null).statusCode()).isEqualTo(404);
    }

    @Test
    void deleteOfMetadataIs204AndRemovesEveryVersion() throws Exception {
        call("POST", "secret/data/api/erased", "{\"data\":{\"k\":\"1\"}}");

        assertThat(call("DELETE", "secret/metadata/api/erased", null).statusCode()).isEqualTo(204);

        assertThat(call("GET", "secret/metadata/api/erased", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "secret/data/api/erased?version=1", null).statusCode()).isEqualTo(404);
        HttpResponse<String> rewritten = call("POST", "secret/data/api/erased",
                "{\"data\":{\"k\":\"2\"},\"options\":{\"cas\":0}}");
        assertThat(json(rewritten).at("/data/version").asLong()).isEqualTo(1);
    }

    // --- list -------------------------------------------------------------------------------------------------------

    @Test
    void listByListMethodAndByGetQueryGivesDirectChildren() throws Exception {
        call("POST", "secret/data/api-list/a", "{\"data\":{\"k\":\"1\"}}");
        call("POST", "secret/data/api-list/folder/b", "{\"data\":{\"k\":\"1\"}}");

        HttpResponse<String> listMethod = call("LIST", "secret/metadata/api-list", null);
        HttpResponse<String> getQuery = call("GET", "secret/metadata/api-list/?list=true", null);

        assertThat(listMethod.statusCode()).isEqualTo(200);
        assertThat(json(listMethod).at("/data/keys").toString()).isEqualTo("[\"a\",\"folder/\"]");
        assertThat(json(getQuery).at("/data/keys").toString()).isEqualTo("[\"a\",\"folder/\"]");
        HttpResponse<String> empty = call("LIST", "secret/metadata/api-list/nothing", null);
        assertThat(empty.statusCode()).isEqualTo(404);
        assertThat(empty.body()).isEqualTo("{\"errors\":[]}");
    }

    // --- auth, routing, errors -------------------------------------------------------------------------------------

    @Test
    void missingOrWrongTokenIs403PermissionDenied() throws Exception {
        HttpResponse<String> missing = send(request("GET", "secret/data/api/x", null).build());
        HttpResponse<String> wrong = send(request("GET", "secret/data/api/x", null)
                .header("X-Vault-Token", "wrong").build());

        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.body()).isEqualTo("{\"errors\":[\"permission denied\"]}");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).isEqualTo("{\"errors\":[\"permission denied\"]}");
    }

    @Test
    void bearerAuthorizationIsAcceptedLikeVaultToken() throws Exception {
        HttpResponse<String> write = send(request("POST", "secret/data/api/bearer", "{\"data\":{\"k\":\"1\"}}")
                .header("Authorization", "Bearer " + server.rootToken()).build());

        assertThat(write.statusCode()).isEqualTo(200);
    }

    @Test
    void healthNeedsNoTokenAndAnswersTheDocumentedFields() throws Exception {
        HttpResponse<String> health = send(request("GET", "sys/health", null).build());
        HttpResponse<String> head = send(request("HEAD", "sys/health", null).build());
        HttpResponse<String> post = send(request("POST", "sys/health", "{}").build());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(names(json(health))).containsExactly("initialized", "sealed", "standby", "performance_standby",
                "replication_performance_mode", "replication_dr_mode", "server_time_utc", "version",
                "cluster_name", "cluster_id");
        assertThat(json(health).get("replication_dr_mode").asText()).isEqualTo("disabled");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void unknownMountIs404NoHandlerAndAddedMountServesKv2() throws Exception {
        HttpResponse<String> before = call("GET", "kv-extra/data/app", null);
        server.mountKv2("kv-extra");
        call("POST", "kv-extra/data/app", "{\"data\":{\"k\":\"v\"}}");
        HttpResponse<String> after = call("GET", "kv-extra/data/app", null);

        assertThat(before.statusCode()).isEqualTo(404);
        assertThat(json(before).get("errors").get(0).asText())
                .isEqualTo("no handler for route \"kv-extra/data/app\". route entry not found.");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(json(after).at("/data/data/k").asText()).isEqualTo("v");
    }

    @Test
    void unsupportedOperationIs405WithVaultsMultiErrorText() throws Exception {
        HttpResponse<String> listOnData = call("LIST", "secret/data/api/anything", null);
        HttpResponse<String> getOnDestroy = call("GET", "secret/destroy/api/anything", null);

        assertThat(listOnData.statusCode()).isEqualTo(405);
        assertThat(listOnData.body())
                .isEqualTo("{\"errors\":[\"1 error occurred:\\n\\t* unsupported operation\\n\\n\"]}");
        assertThat(getOnDestroy.statusCode()).isEqualTo(405);
    }

    @Test
    void injectedFailuresAnswerTheNextRequestsButNotHealth() throws Exception {
        call("POST", "secret/data/api/flaky", "{\"data\":{\"k\":\"1\"}}");
        server.failNext(2, 503);

        HttpResponse<String> health = send(request("GET", "sys/health", null).build());
        HttpResponse<String> first = call("GET", "secret/data/api/flaky", null);
        HttpResponse<String> second = call("POST", "secret/data/api/flaky", "{\"data\":{\"k\":\"2\"}}");
        HttpResponse<String> third = call("GET", "secret/data/api/flaky", null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.body()).isEqualTo("{\"errors\":[\"Vault is sealed\"]}");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(json(third).at("/data/data/k").asText()).as("the failed write changed nothing").isEqualTo("1");
    }

    // --- concurrency ------------------------------------------------------------------------------------------------

    @Test
    void concurrentCheckAndSetWritersGetExactlyOneSuccessPerVersion() throws Exception {
        String path = "secret/data/api/contended";
        int threads = 20;
        int attemptsPerThread = 10;
        ConcurrentLinkedQueue<Long> writtenVersions = new ConcurrentLinkedQueue<>();
        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(pool.submit(() -> {
                start.await();
                for (int attempt = 0; attempt < attemptsPerThread; attempt++) {
                    HttpResponse<String> read = call("GET", path, null);
                    long current = read.statusCode() == 404 ? 0 : json(read).at("/data/metadata/version").asLong();
                    HttpResponse<String> write = call("POST", path,
                            "{\"data\":{\"n\":\"" + attempt + "\"},\"options\":{\"cas\":" + current + "}}");
                    if (write.statusCode() == 200) {
                        writtenVersions.add(json(write).at("/data/version").asLong());
                    } else {
                        assertThat(write.statusCode()).isEqualTo(400);
                        conflicts.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        long finalVersion = json(call("GET", "secret/metadata/api/contended", null)).at("/data/current_version")
                .asLong();
        assertThat(writtenVersions.size() + conflicts.get()).isEqualTo(threads * attemptsPerThread);
        assertThat(writtenVersions).doesNotHaveDuplicates();
        assertThat(writtenVersions).isNotEmpty();
        assertThat(finalVersion).isEqualTo(writtenVersions.size());
        assertThat(writtenVersions).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, finalVersion).boxed().toList());
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    /** A request with the root token; extra headers as name, value pairs. */
    private static HttpResponse<String> call(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(method, path, body).header("X-Vault-Token", server.rootToken());
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build());
    }

    private static HttpRequest.Builder request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(server.address() + "/v1/" + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> iterator = node.fieldNames();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
