package com.gnosis.hub.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on one keep-alive connection, used by one thread at a time: the load test's clients
 * share the hub's two cores, and Java's HttpClient spent ~1 ms of CPU per upload (a quarter of a run's CPU) in
 * its own machinery. Reconnects after an error or a "Connection: close".
 */
final class RawHttp implements AutoCloseable {

    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int TIMEOUT_MS = 60_000;

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttp(String base) {
        URI uri = URI.create(base);
        this.host = uri.getHost();
        this.port = uri.getPort() == -1 ? 80 : uri.getPort();
    }

    Response send(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        boolean reused = socket != null;
        try {
            return exchange(method, path, headers, body);
        } catch (NoAnswerException e) {
            // a kept-alive connection the server had closed while it idled: nothing was read, so ask once more anew
            if (!reused) throw e;
            return exchange(method, path, headers, body);
        }
    }

    /** The connection ended before any byte of an answer. */
    private static final class NoAnswerException extends EOFException {
        NoAnswerException(String message) {
            super(message);
        }
    }

    private Response exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                .append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        String statusLine;
        try {
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            out.flush();
            statusLine = line();
        } catch (java.net.SocketException e) {
            close();
            throw new NoAnswerException("connection lost before an answer: " + e.getMessage());
        }
        if (statusLine == null) {
            close();
            throw new NoAnswerException("connection closed before an answer");
        }
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
            close();
            throw new EOFException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = statusLine.startsWith("HTTP/1.0");
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) continue;
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) length = Long.parseLong(value);
            else if (name.equalsIgnoreCase("Transfer-Encoding")) chunked = value.equalsIgnoreCase("chunked");
            else if (name.equalsIgnoreCase("Connection")) closeAfter = value.equalsIgnoreCase("close");
        }
        byte[] data;
        if (chunked) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                if (size == null) throw new EOFException("connection closed inside a chunked answer");
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                        // trailers are not used
                    }
                    break;
                }
                all.writeBytes(exactly(n));
                line();
            }
            data = all.toByteArray();
        } else if (length >= 0) {
            data = exactly((int) length);
        } else {
            data = in.readAllBytes();
            closeAfter = true;
        }
        if (closeAfter) close();
        return new Response(status, data);
    }

    private byte[] exactly(int n) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length != n) throw new EOFException("answer cut short: " + data.length + " of " + n + " bytes");
        return data;
    }

    /** One header line without its CRLF; null at the end of the stream. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
                return line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
