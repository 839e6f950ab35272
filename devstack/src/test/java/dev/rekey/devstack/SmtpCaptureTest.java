package dev.rekey.devstack;

import dev.rekey.devstack.smtp.SmtpCapture;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpCaptureTest {

    @Test
    void eachRecipientsCopyLandsAsAnEmlFile(@TempDir Path mailDir) throws Exception {
        try (SmtpCapture smtp = SmtpCapture.start(0, mailDir)) {
            Properties props = new Properties();
            props.put("mail.smtp.host", smtp.host());
            props.put("mail.smtp.port", String.valueOf(smtp.port()));
            MimeMessage message = new MimeMessage(Session.getInstance(props));
            message.setFrom(new InternetAddress("rekey@localhost"));
            message.setRecipients(Message.RecipientType.TO, "a@demo.rekey.dev, b@demo.rekey.dev");
            message.setSubject("[rekey] check");
            message.setText("hello owners");
            Transport.send(message);

            assertThat(smtp.messages()).hasSize(2)
                    .extracting(SmtpCapture.CapturedMail::recipient)
                    .containsExactlyInAnyOrder("a@demo.rekey.dev", "b@demo.rekey.dev");
            assertThat(SmtpCapture.read(mailDir)).allSatisfy(mail -> {
                assertThat(mail.subject()).isEqualTo("[rekey] check");
                assertThat(mail.body()).contains("hello owners");
            });
        }
    }
}
