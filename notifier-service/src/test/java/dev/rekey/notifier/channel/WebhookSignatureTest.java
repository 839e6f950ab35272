package dev.rekey.notifier.channel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignatureTest {

    /** The test vector of the Standard Webhooks reference libraries. */
    @Test
    void signsExactlyAsTheStandardWebhooksReferenceDoes() {
        WebhookSignature signature = WebhookSignature.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        assertThat(signature.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aSecretThatIsNotWhsecBase64OfTwentyFourToSixtyFourBytesIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> WebhookSignature.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .hasMessageContaining("whsec_").hasMessageNotContaining("MfKQ9r8");
        assertThatThrownBy(() -> WebhookSignature.of("whsec_c2hvcnQ=")).hasMessageContaining("24 to 64 bytes");
        assertThatThrownBy(() -> WebhookSignature.of("whsec_not base64!")).hasMessageNotContaining("not base64!");
    }
}
