package dev.rekey.worker.target.redis;

import dev.rekey.worker.target.AdminConnection;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A synchronous Redis connection speaking RESP2: each argument goes as a length-prefixed bulk string, so no user
 * name or value can break out of its argument. Replies are {@code String} (simple and bulk strings), {@code Long},
 * {@code List<Object>} or null; an error reply raises {@link RedisError}, which keeps only the error's code.
 */
final class RespConnection implements AdminConnection {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private long clientId;

    private RespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    static RespConnection open(String host, int port, Duration connectTimeout, Duration readTimeout)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.setTcpNoDelay(true);
            return new RespConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one command and reads its reply. */
    Object call(String... args) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            frame.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            frame.writeBytes(bytes);
            frame.writeBytes(new byte[]{'\r', '\n'});
        }
        out.write(frame.toByteArray());
        out.flush();
        return read();
    }

    /** Remembers this connection's {@code CLIENT ID}, so that ending a user's sessions can spare it. */
    void identify() throws IOException {
        clientId = (Long) call("CLIENT", "ID");
    }

    @Override
    public long sessionId() {
        return clientId;
    }

    @Override
    public boolean isUsable() {
        try {
            return "PONG".equals(call("PING"));
        } catch (IOException | RedisError e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by the server");
        }
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new RedisError(line);
            case ':' -> Long.parseLong(line);
            case '$' -> bulk(Integer.parseInt(line));
            case '*' -> array(Integer.parseInt(line));
            default -> throw new IOException("not a RESP reply");
        };
    }

    private String bulk(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        if (bytes.length < length + 2) {
            throw new EOFException("connection closed by the server");
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private List<Object> array(int length) throws IOException {
        if (length < 0) {
            return null;
        }
        List<Object> items = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            try {
                items.add(read());
            } catch (RedisError e) {
                items.add(e); // an error inside an array (EXEC) is an item, not the reply
            }
        }
        return items;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (previous == '\r' && c == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(c);
            previous = c;
        }
    }

    /**
     * An error reply. Only its first word (WRONGPASS, NOPERM, ERR…) is kept: Redis quotes a refused ACL rule in
     * its message.
     */
    static final class RedisError extends RuntimeException {

        private final String code;

        RedisError(String line) {
            super(null, null, false, false);
            int space = line.indexOf(' ');
            this.code = space < 0 ? line : line.substring(0, space);
        }

        String code() {
            return code;
        }

        @Override
        public String getMessage() {
            return "Redis error " + code;
        }
    }
}
