package dev.sequor.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    private static final Route CHAMPION = new Route("champion", "7", 95, "http://games-v7:8080", "games-v7:9000");
    private static final Route CANDIDATE = new Route("candidate", "8", 5, "http://games-v8:8080", "games-v8:9000");

    @Test
    void roundTripsThroughItsFile() {
        TrafficSplit split = new TrafficSplit(1, "games", "exp", List.of(CANDIDATE, CHAMPION), new Shadow("candidate", 0.1));
        assertThat(TrafficSplit.parse(split.toJson().getBytes(StandardCharsets.UTF_8))).isEqualTo(split);
        assertThat(split.champion()).isEqualTo(CHAMPION);
    }

    @Test
    void aSingleVersionServesEveryone() {
        TrafficSplit split = TrafficSplit.single("games", CHAMPION);
        assertThat(split.problems()).isEmpty();
        assertThat(split.champion().weight()).isEqualTo(100);
    }

    @Test
    void listsEveryProblemAtOnce() {
        TrafficSplit split = new TrafficSplit(1, "games", "exp", List.of(
                new Route("candidate", "8", 30, "http://b:8080", "b:9000"),
                new Route("candidate", "9", 30, "http://c:8080", null),
                new Route("b", "9", 130, "http://c:8080", "c:9000")), new Shadow("nobody", 1.5));
        assertThat(split.problems()).containsExactlyInAnyOrder(
                "variant candidate is listed twice",
                "variant candidate needs both an http and a grpc address",
                "variant b has weight 130 (must be 0..100)",
                "no variant named champion",
                "weights sum to 190, not 100",
                "shadow variant nobody is not a variant of the split",
                "shadow share 1.5 is out of range (must be 0..1)");
        assertThatThrownBy(split::validated).isInstanceOf(InvalidSplitException.class)
                .hasMessageContaining("weights sum to 190");
    }

    @Test
    void theChampionCannotShadowItself() {
        TrafficSplit split = new TrafficSplit(1, "games", "exp", List.of(CHAMPION.withWeight(100)), new Shadow("champion", 0.5));
        assertThat(split.problems()).containsExactly("the champion cannot shadow itself");
    }

    @Test
    void refusesFilesItCannotRead() {
        assertThatThrownBy(() -> TrafficSplit.parse("{\"formatVersion\": 1, \"weights\": []}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidSplitException.class).hasMessageContaining("not a traffic split")
                .hasMessageContaining("weights");
        assertThatThrownBy(() -> TrafficSplit.parse("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidSplitException.class);
        TrafficSplit future = new TrafficSplit(2, "games", "exp", List.of(CHAMPION.withWeight(100)), null);
        assertThatThrownBy(() -> TrafficSplit.parse(future.toJson().getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("formatVersion 2 is not supported");
    }
}
