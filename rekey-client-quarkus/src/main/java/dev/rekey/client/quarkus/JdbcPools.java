package dev.rekey.client.quarkus;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flushes the Agroal pools that log in with a rotated credential: idle connections are closed at once, connections
 * in use are closed when they are given back, so running work finishes and every next connection logs in with the
 * new value. Loaded only when the application has Agroal.
 */
final class JdbcPools {

    private static final Logger LOG = Logger.getLogger(JdbcPools.class);
    private static final String DEFAULT = "<default>";

    private final Map<String, List<String>> datasourcesByCredential;

    private JdbcPools(Map<String, List<String>> datasourcesByCredential) {
        this.datasourcesByCredential = datasourcesByCredential;
    }

    /** The pools of each configured credential; call only when Agroal is on the class path. */
    static JdbcPools of(RekeyClientConfig config, Config quarkusConfig) {
        Map<String, List<String>> byCredential = new HashMap<>();
        config.credentials().forEach((id, credential) -> byCredential.put(id,
                credential.datasources().orElseGet(() -> datasourcesUsing(id, quarkusConfig))));
        return new JdbcPools(Map.copyOf(byCredential));
    }

    void flush(String credentialId) {
        for (String name : datasourcesByCredential.getOrDefault(credentialId, List.of())) {
            Optional<AgroalDataSource> dataSource = AgroalDataSourceUtil.dataSourceIfActive(name);
            if (dataSource.isPresent()) {
                dataSource.get().flush(AgroalDataSource.FlushMode.GRACEFUL);
                LOG.infof("credential %s rotated: datasource %s flushed gracefully", credentialId, name);
            }
        }
    }

    /** The datasources configured with {@code credentials-provider=<id>} and this client's provider bean. */
    private static List<String> datasourcesUsing(String credentialId, Config config) {
        return AgroalDataSourceUtil.activeDataSourceNames().stream()
                .filter(name -> credentialId.equals(property(config, name, "credentials-provider")))
                .filter(name -> {
                    String bean = property(config, name, "credentials-provider-name");
                    return bean == null || RekeyCredentialsProvider.NAME.equals(bean);
                })
                .toList();
    }

    private static String property(Config config, String datasource, String key) {
        String name = DEFAULT.equals(datasource) ? "quarkus.datasource." + key
                : "quarkus.datasource.\"" + datasource + "\"." + key;
        return config.getOptionalValue(name, String.class).orElse(null);
    }
}
