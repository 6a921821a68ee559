package dev.sequor.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.analysis.rollout.Observation;
import dev.sequor.testing.PrometheusServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every way a real Prometheus can fail to give one number is a missing observation that says why. */
class PrometheusMetricSourceTest {

    private static PrometheusServer prometheus;
    private static MetricSource source;

    @BeforeAll
    static void start() {
        prometheus = PrometheusServer.start(List.of());
        source = new PrometheusMetricSource(prometheus.url(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        prometheus.close();
    }

    @Test
    void oneNumberIsAValue() {
        assertThat(source.query("sum(vector(0.25))")).isEqualTo(Observation.of(0.25));
        assertThat(source.query("scalar(vector(3))").value()).isEqualTo(3);
    }

    @Test
    void noSeriesIsNoData() {
        Observation o = source.query("sum(rate(sequor_requests_total{model=\"absent\"}[1m]))");
        assertThat(o.present()).isFalse();
        assertThat(o.missing()).contains("no data");
    }

    @Test
    void nanIsNotANumber() {
        Observation o = source.query("sum(vector(0)) / sum(vector(0))");
        assertThat(o.present()).isFalse();
        assertThat(o.missing()).contains("NaN");
    }

    @Test
    void aBadQueryIsRefusedWithPrometheusMessage() {
        Observation o = source.query("sum(rate(sequor_requests_total[1m]");
        assertThat(o.present()).isFalse();
        assertThat(o.missing()).contains("bad_data");
    }

    @Test
    void severalSeriesAreNotOneNumber() {
        Observation o = source.query("label_replace(vector(1), \"a\", \"x\", \"\", \"\") "
                + "or label_replace(vector(2), \"a\", \"y\", \"\", \"\")");
        assertThat(o.present()).isFalse();
        assertThat(o.missing()).contains("2 series");
    }

    @Test
    void noAnswerSaysWhere() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        Observation o = new PrometheusMetricSource(url, Duration.ofSeconds(2)).query("vector(1)");
        assertThat(o.present()).isFalse();
        assertThat(o.missing()).contains(url, "did not answer");
    }
}
