package com.gnosis.hub.webhook;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A real multipart/form-data body with text fields (callback_url ...) before the file part. */
public final class Multipart {

    private static final String BOUNDARY = "----gnosis-" + UUID.randomUUID();
    public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private Multipart() {
    }

    public static HttpRequest.BodyPublisher withFile(Map<String, String> fields, byte[] file) {
        StringBuilder head = new StringBuilder();
        fields.forEach((name, value) -> head.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"")
                .append(name).append("\"\r\n\r\n").append(value).append("\r\n"));
        head.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"doc.pdf\"\r\n")
                .append("Content-Type: application/pdf\r\n\r\n");
        return HttpRequest.BodyPublishers.ofByteArrays(List.of(head.toString().getBytes(StandardCharsets.UTF_8), file,
                ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
    }
}
