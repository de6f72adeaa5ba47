package com.gnosis.hub.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads a multipart/form-data body (RFC 7578) as it streams in and keeps its file in a temporary file: the part
 * named {@code file}, else the first part that names a file. Other parts are read past and not kept; nothing of
 * the body is held in memory beyond one buffer.
 *
 * <p>Limits are decided while reading: the file over {@code maxFileBytes}, or the whole body over
 * {@code maxBodyBytes}, is a 413 at the byte that crosses it; a body that is not well-formed multipart is a 400.
 * Hand-written because Vert.x's decoder (Camel's default) decides its size limit only once the body has ended and
 * needs the request thread for the whole upload; this reader runs on the bytes as they arrive.
 */
final class MultipartBody {

    /**
     * The file part: its form field, the client's file name (data only, may be null) and where its bytes are; and
     * the body's small text fields (callback_url ...), by name.
     */
    record FilePart(String field, String filename, Path file, long size, java.util.Map<String, String> fields) {
        FilePart(String field, String filename, Path file, long size) {
            this(field, filename, file, size, java.util.Map.of());
        }
    }

    /** A text field longer than this is refused (400): the form's fields are settings, not documents. */
    private static final int MAX_FIELD_BYTES = 8 * 1024;

    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 16 * 1024;
    private static final int MAX_PARTS = 100;
    private static final int MAX_BOUNDARY = 200;
    private static final String PART_NOT_CLOSED = "the body ends inside a part (no closing boundary)";

    private final InputStream in;
    private final byte[] delimiter;
    private final long maxFileBytes;
    private final long maxBodyBytes;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private long read;
    private boolean eof;

    private MultipartBody(InputStream in, String boundary, long maxFileBytes, long maxBodyBytes) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxFileBytes = maxFileBytes;
        this.maxBodyBytes = maxBodyBytes;
        // the body's first boundary has no line break before it: one is put there, so every delimiter looks alike
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    /**
     * The boundary of a multipart/form-data Content-Type, or null when the body is not multipart/form-data.
     *
     * @throws ApiException 400 when it is multipart/form-data without a usable boundary
     */
    static String boundary(String contentType) {
        if (contentType == null) return null;
        String[] fields = contentType.split(";");
        if (!fields[0].trim().equalsIgnoreCase("multipart/form-data")) return null;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].trim();
            int equals = field.indexOf('=');
            if (equals > 0 && field.substring(0, equals).trim().equalsIgnoreCase("boundary")) {
                String value = unquote(field.substring(equals + 1).trim());
                // RFC 2046: 1 to 70 printable ASCII characters (spaces inside, not at the end); a longer one is allowed
                if (value.isBlank() || value.length() > MAX_BOUNDARY || value.endsWith(" ")
                        || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                    throw malformed("the multipart boundary is empty, too long or not plain ASCII");
                }
                return value;
            }
        }
        throw malformed("Content-Type multipart/form-data names no boundary");
    }

    /**
     * Reads the whole body and returns its file part, stored in a new file in {@code folder}; the caller deletes
     * or takes that file. No file part is a 400 {@code no_file}.
     */
    static FilePart read(InputStream in, String boundary, Path folder, long maxFileBytes, long maxBodyBytes)
            throws IOException {
        return new MultipartBody(in, boundary, maxFileBytes, maxBodyBytes).readFilePart(folder);
    }

    private FilePart readFilePart(Path folder) throws IOException {
        FilePart kept = null;
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        try {
            skipPast(null, "the boundary named in Content-Type does not occur in the body");
            for (int parts = 0; !atCloseDelimiter(); parts++) {
                if (parts == MAX_PARTS) throw malformed("more than " + MAX_PARTS + " parts");
                String disposition = partHeaders();
                String field = parameter(disposition, "name");
                String filename = filename(disposition);
                // the field named "file" wins over a file part before it; else the first part with a file name
                boolean named = "file".equals(field);
                boolean wanted = disposition != null
                        && (named ? kept == null || !"file".equals(kept.field()) : filename != null && kept == null);
                if (!wanted && disposition != null && field != null && filename == null && !"file".equals(field)) {
                    fields.put(field, textField(field));
                    continue;
                }
                if (!wanted) {
                    skipPast(null, PART_NOT_CLOSED);
                    continue;
                }
                if (kept != null) Files.deleteIfExists(kept.file());
                kept = null;
                Path file = folder.resolve("upload-" + UUID.randomUUID() + ".part");
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    kept = new FilePart(field, filename, file, skipPast(out, PART_NOT_CLOSED));
                } finally {
                    if (kept == null) Files.deleteIfExists(file);
                }
            }
            // the epilogue, if any, is read to the end: the request is done only then
            while (fill()) {
                position = limit;
            }
        } catch (IOException | RuntimeException e) {
            if (kept != null) Files.deleteIfExists(kept.file());
            throw e;
        }
        if (kept == null) throw noFile();
        return new FilePart(kept.field(), kept.filename(), kept.file(), kept.size(), java.util.Map.copyOf(fields));
    }

    /** A text part's value (UTF-8), up to {@value #MAX_FIELD_BYTES} bytes. */
    private String textField(String field) throws IOException {
        java.io.ByteArrayOutputStream value = new java.io.ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                if (count + length > MAX_FIELD_BYTES) {
                    throw ApiException.badRequest("field_too_long", "The form field '" + field + "' is longer than "
                            + MAX_FIELD_BYTES + " bytes.");
                }
                super.write(bytes, offset, length);
            }
        };
        skipPast(value, PART_NOT_CLOSED);
        return value.toString(StandardCharsets.UTF_8);
    }

    static ApiException noFile() {
        return ApiException.badRequest("no_file", "Send the document as multipart/form-data in a field named 'file'.");
    }

    /**
     * Writes the bytes up to the next delimiter to {@code out} (null: drops them) and moves past the delimiter;
     * returns how many there were. What is kept back at the end of the buffer is a possible start of the delimiter.
     */
    private long skipPast(OutputStream out, String endsEarly) throws IOException {
        long written = 0;
        while (true) {
            int found = indexOfDelimiter();
            int end = found >= 0 ? found : Math.max(position, limit - delimiter.length + 1);
            written += end - position;
            if (out != null) {
                if (written > maxFileBytes) throw ApiException.tooLarge(maxFileBytes);
                out.write(buffer, position, end - position);
            }
            position = end;
            if (found >= 0) {
                position += delimiter.length;
                return written;
            }
            if (!fill()) throw malformed(endsEarly);
        }
    }

    private int indexOfDelimiter() {
        byte first = delimiter[0];
        for (int i = position, last = limit - delimiter.length; i <= last; i++) {
            if (buffer[i] != first) continue;
            int j = 1;
            while (j < delimiter.length && buffer[i + j] == delimiter[j]) j++;
            if (j == delimiter.length) return i;
        }
        return -1;
    }

    /** After a delimiter: "--" ends the body; otherwise optional blanks and a line break start the next part. */
    private boolean atCloseDelimiter() throws IOException {
        require(2);
        if (buffer[position] == '-' && buffer[position + 1] == '-') {
            position += 2;
            return true;
        }
        while (true) {
            require(1);
            byte b = buffer[position];
            if (b != ' ' && b != '\t') break;
            position++;
        }
        require(2);
        if (buffer[position] == '\r' && buffer[position + 1] == '\n') {
            position += 2;
        } else if (buffer[position] == '\n') {
            position += 1;
        } else {
            throw malformed("a boundary line is followed by something other than a line break");
        }
        return false;
    }

    /** Reads a part's header lines; returns its Content-Disposition, or null when it has none. */
    private String partHeaders() throws IOException {
        String disposition = null;
        int total = 0;
        while (true) {
            String line = line();
            total += line.length() + 2;
            if (total > MAX_HEADERS) throw malformed("a part's headers are longer than " + MAX_HEADERS + " bytes");
            if (line.isEmpty()) return disposition;
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                disposition = line.substring(colon + 1).trim();
            }
        }
    }

    /** One header line (UTF-8, as browsers send file names), without its line break. */
    private String line() throws IOException {
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buffer, position, end - position, StandardCharsets.UTF_8);
                    position = i + 1;
                    return line;
                }
            }
            if (limit - position > MAX_HEADER_LINE) throw malformed("a part header line is longer than " + MAX_HEADER_LINE + " bytes");
            if (!fill()) throw malformed("the body ends inside a part's headers");
        }
    }

    private void require(int bytes) throws IOException {
        while (limit - position < bytes) {
            if (!fill()) throw malformed("the body ends right after a boundary");
        }
    }

    /** Reads more of the body after what is left unread; false at its end. */
    private boolean fill() throws IOException {
        if (eof) return false;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        read += n;
        if (read > maxBodyBytes) throw ApiException.tooLarge(maxFileBytes);
        return true;
    }

    /** The file name of a Content-Disposition: filename*=UTF-8''... (RFC 5987) before filename="...". */
    static String filename(String disposition) {
        String extended = parameter(disposition, "filename*");
        if (extended != null) {
            int quote = extended.indexOf("''");
            if (quote >= 0 && extended.substring(0, quote).equalsIgnoreCase("UTF-8")) {
                try {
                    return URLDecoder.decode(extended.substring(quote + 2).replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    // not valid percent-encoding: the plain filename, if any, is used
                }
            }
        }
        return parameter(disposition, "filename");
    }

    /**
     * A parameter of a header value such as {@code form-data; name="file"; filename="a.pdf"}. Quoted values may hold
     * ';' and '\"'; any other backslash is kept (Windows paths as some clients send them).
     */
    static String parameter(String header, String name) {
        if (header == null) return null;
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            i++;
            while (i < header.length() && header.charAt(i) == ' ' || i < header.length() && header.charAt(i) == '\t') i++;
            int equals = header.indexOf('=', i);
            int semicolon = header.indexOf(';', i);
            if (equals < 0) return null;
            if (semicolon >= 0 && semicolon < equals) {
                i = semicolon;
                continue;
            }
            String key = header.substring(i, equals).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            int j = equals + 1;
            while (j < header.length() && header.charAt(j) == ' ') j++;
            if (j < header.length() && header.charAt(j) == '"') {
                for (j++; j < header.length() && header.charAt(j) != '"'; j++) {
                    char c = header.charAt(j);
                    if (c == '\\' && j + 1 < header.length() && header.charAt(j + 1) == '"') c = header.charAt(++j);
                    value.append(c);
                }
                i = header.indexOf(';', j);
            } else {
                int end = semicolon < 0 ? header.length() : semicolon;
                value.append(header, j, end);
                i = semicolon;
            }
            if (key.equals(name)) return value.toString().strip();
        }
        return null;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static ApiException malformed(String why) {
        return ApiException.badRequest("malformed_multipart", "The body is not valid multipart/form-data: " + why + ".");
    }
}
