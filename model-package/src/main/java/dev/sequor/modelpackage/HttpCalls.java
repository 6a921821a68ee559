package dev.sequor.modelpackage;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;

/**
 * HTTP calls to a registry with retries and exponential backoff (Failsafe): a request that may be
 * repeated safely is retried on connection failures, timeouts and 429/502/503/504; one that may
 * not (a create) only when the connection was refused, so it never ran.
 */
public final class HttpCalls {

    /** Retries of {@link #standard}. */
    public static final int RETRIES = 3;
    private static final Set<Integer> RETRY_STATUS = Set.of(429, 502, 503, 504);

    private final HttpClient http;
    private final int maxRetries;
    private final Duration firstDelay;

    public HttpCalls(Duration connectTimeout, int maxRetries, Duration firstDelay) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.maxRetries = maxRetries;
        this.firstDelay = firstDelay;
    }

    /** Three retries, 250 ms doubling to 4 s. */
    public static HttpCalls standard(Duration connectTimeout) {
        return new HttpCalls(connectTimeout, RETRIES, Duration.ofMillis(250));
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body, boolean idempotent)
            throws IOException, InterruptedException {
        RetryPolicy<HttpResponse<T>> retry = RetryPolicy.<HttpResponse<T>>builder()
                .handleIf((response, failure) -> failure != null
                        ? idempotent ? failure instanceof IOException : failure instanceof ConnectException
                        : idempotent && RETRY_STATUS.contains(response.statusCode()))
                .withBackoff(firstDelay, firstDelay.multipliedBy(16))
                .withMaxRetries(maxRetries)
                .build();
        try {
            return Failsafe.with(retry).get(() -> http.send(request, body));
        } catch (FailsafeException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            throw e;
        }
    }

    /** Whether a failure means the server could not be reached in time (as opposed to an answer). */
    public static boolean unreachable(IOException e) {
        return e instanceof ConnectException || e instanceof HttpTimeoutException
                || e.getCause() instanceof ConnectException;
    }
}
