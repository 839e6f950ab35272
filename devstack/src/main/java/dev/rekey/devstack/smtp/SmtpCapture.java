package dev.rekey.devstack.smtp;

import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An SMTP server on loopback that accepts every message and writes each delivery (one per recipient) as an
 * {@code .eml} file into a mail directory, where tests and the demo read it.
 */
public final class SmtpCapture implements AutoCloseable {

    private final GreenMail greenMail;
    private final Path mailDir;
    private final AtomicLong sequence = new AtomicLong();

    private SmtpCapture(GreenMail greenMail, Path mailDir) {
        this.greenMail = greenMail;
        this.mailDir = mailDir;
    }

    /** Starts on {@code port} (0 for any free port), writing deliveries to {@code mailDir}. */
    public static SmtpCapture start(int port, Path mailDir) throws IOException {
        Files.createDirectories(mailDir);
        int actualPort = port == 0 ? dev.rekey.devstack.Ports.free() : port;
        GreenMail greenMail = new GreenMail(new ServerSetup(actualPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        SmtpCapture capture = new SmtpCapture(greenMail, mailDir);
        var users = greenMail.getUserManager();
        MessageDeliveryHandler store = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            var user = store.handle(message, recipient);
            capture.write(message.getMessage(), recipient.getEmail());
            return user;
        });
        greenMail.start();
        return capture;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    public Path mailDir() {
        return mailDir;
    }

    private void write(MimeMessage message, String recipient) throws MessagingException {
        String name = String.format("%08d-%s.eml", sequence.incrementAndGet(), recipient.replaceAll("[^A-Za-z0-9@._-]", "_"));
        try (OutputStream out = Files.newOutputStream(mailDir.resolve(name + ".tmp"))) {
            message.writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot store captured mail", e);
        }
        try {
            // rename so that readers never see half a message
            Files.move(mailDir.resolve(name + ".tmp"), mailDir.resolve(name));
        } catch (IOException e) {
            throw new MessagingException("cannot store captured mail", e);
        }
    }

    /** Every message delivered into {@code mailDir} so far, in delivery order. */
    public static List<CapturedMail> read(Path mailDir) {
        if (!Files.isDirectory(mailDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(mailDir)) {
            List<Path> emls = files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
            List<CapturedMail> mails = new ArrayList<>();
            for (Path eml : emls) {
                mails.add(parse(eml));
            }
            return mails;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<CapturedMail> messages() {
        return read(mailDir);
    }

    private static CapturedMail parse(Path eml) throws IOException {
        try (InputStream in = Files.newInputStream(eml)) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            String recipient = eml.getFileName().toString().replaceFirst("^\\d+-", "").replaceFirst("\\.eml$", "");
            Address[] to = message.getRecipients(Message.RecipientType.TO);
            return new CapturedMail(recipient, to == null ? List.of() : Stream.of(to).map(Address::toString).toList(),
                    message.getSubject(), bodyText(message), Files.readString(eml));
        } catch (MessagingException e) {
            throw new IOException("unreadable captured mail " + eml, e);
        }
    }

    private static String bodyText(MimeMessage message) throws MessagingException, IOException {
        Object content = message.getContent();
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof jakarta.mail.Multipart multipart) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                Object part = multipart.getBodyPart(i).getContent();
                if (part instanceof String s) {
                    text.append(s).append('\n');
                }
            }
            return text.toString();
        }
        return "";
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    /**
     * One delivered message.
     *
     * @param recipient the envelope recipient this copy was delivered to
     * @param raw       the whole message as received
     */
    public record CapturedMail(String recipient, List<String> to, String subject, String body, String raw) {
    }
}
