package dev.rekey.inventory.credential.bulk;

import dev.rekey.inventory.api.ApiProblem;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedBodyTest {

    @Test
    void aBodyUpToTheLimitIsReadWholeAndOneByteMoreIsA413() throws Exception {
        try (InputStream body = new BoundedBody(new ByteArrayInputStream(new byte[1000]), 1000)) {
            assertThat(body.readAllBytes()).hasSize(1000);
        }
        try (InputStream body = new BoundedBody(new ByteArrayInputStream(new byte[1001]), 1000)) {
            assertThatThrownBy(body::readAllBytes).isInstanceOfSatisfying(ApiProblem.class,
                    problem -> assertThat(problem.status()).isEqualTo(413));
        }
    }
}
