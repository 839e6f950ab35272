package dev.rekey.devstack.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DryRunPathsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stepsAsObjectsNameTheirIdsAndTheCredentialEndsThePath() throws Exception {
        assertThat(DryRunPaths.render(json("""
                {"credentialId":"pg-ci-migrator","path":[{"via":"provider","id":"okta"},
                 {"via":"credential","id":"ci-deploy-token"},{"via":"system","id":"ci-runners"}]}""")))
                .isEqualTo("okta -> ci-deploy-token -> ci-runners -> pg-ci-migrator");
    }

    @Test
    void stepsAsNamesAndSeveralPathsGiveTheFirstWithoutRepeatingTheCredential() throws Exception {
        assertThat(DryRunPaths.render(json("""
                {"credentialId":"c","reachedByPaths":[["okta","a","c"],["okta","b","c"]]}""")))
                .isEqualTo("okta -> a -> c");
    }

    @Test
    void anEntryWithoutAPathHasNone() throws Exception {
        assertThat(DryRunPaths.render(json("""
                {"credentialId":"c","matchedBy":[{"clause":"providers","values":["okta"]}]}"""))).isNull();
        assertThat(DryRunPaths.render(json("{\"credentialId\":\"c\",\"path\":[]}"))).isNull();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
