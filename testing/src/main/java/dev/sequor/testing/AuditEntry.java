package dev.sequor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One request as the API server's audit log (level Metadata) recorded it. */
public record AuditEntry(Instant received, String verb, String apiGroup, String resource, String subresource,
        String namespace, String name, int code, String userAgent) {

    /** "verb group/resource[/subresource]", what RBAC decides on (the name aside). */
    public String call() {
        return verb + " " + apiGroup + "/" + resource + (subresource.isEmpty() ? "" : "/" + subresource);
    }

    /** Every request in an audit log file, in order (completed ones; a running watch once it started). */
    static List<AuditEntry> read(Path log) {
        ObjectMapper json = new ObjectMapper();
        List<AuditEntry> entries = new ArrayList<>();
        try {
            if (!Files.exists(log)) {
                return entries;
            }
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = json.readTree(line);
                if (e.path("stage").asText().equals("ResponseComplete") && e.path("verb").asText().equals("watch")) {
                    continue; // the same watch was recorded when it started
                }
                JsonNode ref = e.path("objectRef");
                entries.add(new AuditEntry(Instant.parse(e.path("requestReceivedTimestamp").asText()),
                        e.path("verb").asText(), ref.path("apiGroup").asText(""), ref.path("resource").asText(""),
                        ref.path("subresource").asText(""), ref.path("namespace").asText(""),
                        ref.path("name").asText(""), e.path("responseStatus").path("code").asInt(0),
                        e.path("userAgent").asText("")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
