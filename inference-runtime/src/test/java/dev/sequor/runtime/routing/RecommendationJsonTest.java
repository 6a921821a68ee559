package dev.sequor.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecommendationJsonTest {

    @Test
    void readsOnlyTheTopLevelUserId() {
        assertThat(RecommendationJson.userId(bytes("{\"history\":[\"a\",\"b\"],\"userId\":\"u42\",\"k\":5}"))).isEqualTo("u42");
        assertThat(RecommendationJson.userId(bytes("{\"exclude\":[{\"userId\":\"nested\"}],\"history\":[\"a\"]}"))).isNull();
        assertThat(RecommendationJson.userId(bytes("{\"userId\":42}"))).isNull();
        assertThat(RecommendationJson.userId(bytes("{\"userId\":"))).isNull();
        assertThat(RecommendationJson.userId(bytes("[1,2]"))).isNull();
        assertThat(RecommendationJson.userId(new byte[0])).isNull();
    }

    @Test
    void readsTheAnswersIdAndItemsInOrder() {
        RecommendationJson.Served served = RecommendationJson.served(bytes("{\"id\":\"r1\",\"userId\":\"u\",\"model\":\"m\","
                + "\"items\":[{\"id\":\"x\",\"score\":2.5},{\"score\":1.0,\"id\":\"y\"}],\"unknownItems\":[\"z\"]}"));
        assertThat(served.id()).isEqualTo("r1");
        assertThat(served.items()).containsExactly("x", "y");
        assertThat(RecommendationJson.served(bytes("not json")).items()).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
