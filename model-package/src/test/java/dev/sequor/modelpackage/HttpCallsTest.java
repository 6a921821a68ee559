package dev.sequor.modelpackage;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries against a deliberately faulty server (a fake, to inject what a real MLflow does only
 * under load: 503 answers): a read is retried until it succeeds; a create is not repeated.
 */
class HttpCallsTest {

    private HttpServer faultyServer;
    private final AtomicInteger calls = new AtomicInteger();
    private String url;

    @BeforeEach
    void start() throws Exception {
        faultyServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        faultyServer.createContext("/", exchange -> {
            int n = calls.incrementAndGet();
            byte[] body = ("answer " + n).getBytes();
            exchange.sendResponseHeaders(n <= 2 ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        faultyServer.start();
        url = "http://127.0.0.1:" + faultyServer.getAddress().getPort() + "/x";
    }

    @AfterEach
    void stop() {
        faultyServer.stop(0);
    }

    @Test
    void aReadIsRetriedThroughTransientFailures() throws Exception {
        HttpCalls http = new HttpCalls(Duration.ofSeconds(2), 3, Duration.ofMillis(10));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString(), true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("answer 3");
    }

    @Test
    void aCreateIsNotRepeatedAfterAnAnswer() throws Exception {
        HttpCalls http = new HttpCalls(Duration.ofSeconds(2), 3, Duration.ofMillis(10));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString(), false);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(calls.get()).isEqualTo(1);
    }
}
