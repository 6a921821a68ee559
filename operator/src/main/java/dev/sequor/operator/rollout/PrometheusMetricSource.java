package dev.sequor.operator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.analysis.rollout.Observation;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Prometheus's HTTP API ({@code GET /api/v1/query}): an instant query that must come back as one
 * number. No series, more than one series, NaN, an error answer or no answer at all are each a
 * missing observation with the reason, never a number.
 */
public final class PrometheusMetricSource implements MetricSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final Duration timeout;
    private final HttpClient http;

    public PrometheusMetricSource(String url, Duration timeout) {
        this.url = url.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Observation query(String promql) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Observation.missing("Prometheus at " + url + " did not answer: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Observation.missing("interrupted while asking Prometheus");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            return Observation.missing("Prometheus answered HTTP " + response.statusCode() + " without JSON");
        }
        if (!"success".equals(body.path("status").asText())) {
            return Observation.missing("Prometheus refused the query (" + body.path("errorType").asText("HTTP "
                    + response.statusCode()) + "): " + body.path("error").asText());
        }
        JsonNode data = body.path("data");
        JsonNode value;
        switch (data.path("resultType").asText()) {
            case "scalar" -> value = data.path("result");
            case "vector" -> {
                JsonNode result = data.path("result");
                if (result.isEmpty()) {
                    return Observation.missing("no data: the query returned no series");
                }
                if (result.size() > 1) {
                    return Observation.missing("the query returned " + result.size()
                            + " series; it must return one number (aggregate with sum or max)");
                }
                value = result.get(0).path("value");
            }
            default -> {
                return Observation.missing("the query returned a " + data.path("resultType").asText()
                        + "; it must return one number");
            }
        }
        // [ <unix time>, "<value>" ]; Prometheus writes NaN and ±Inf as strings too.
        String text = value.path(1).asText();
        try {
            return Observation.of(Double.parseDouble(text.replace("Inf", "Infinity")));
        } catch (NumberFormatException e) {
            return Observation.missing("the query returned '" + text + "', not a number");
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message != null ? " " + message : "");
    }
}
