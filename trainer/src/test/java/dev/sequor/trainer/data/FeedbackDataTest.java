package dev.sequor.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequor.feedback.FeedbackEvent;
import dev.sequor.feedback.FeedbackLog;
import dev.sequor.modelpackage.ItemVocabulary;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackDataTest {

    @TempDir
    Path dir;

    private static FeedbackEvent event(String id, String user, String item, String type, long time) {
        return new FeedbackEvent(1, id, null, user, item, type, time, "movies", "7", "champion");
    }

    @Test
    void eachEventOnceOfTheChosenTypesInTheOrderTheyHappened() {
        try (FeedbackLog log = FeedbackLog.open(dir, FeedbackLog.Settings.DEFAULT, Clock.systemUTC())) {
            for (FeedbackEvent e : List.of(
                    event("e1", "u1", "i3", "click", 2_000),
                    event("e2", "u1", "i1", "click", 1_000),       // happened first, logged second
                    event("e1", "u1", "i3", "click", 2_000),       // a retried post: stored twice
                    event("e3", "u1", "i9", "impression", 1_500),  // shown, not chosen
                    event("e4", "u2", "i4", "interaction", 3_000),
                    event("e5", "u1", "i5", "click", 2_000))) {    // same time as e1: log order
                log.append(e.toBytes()).join();
            }
        }
        FeedbackData.Read read = FeedbackData.read(dir, Set.of("click", "interaction"));
        assertThat(read.itemsByUser()).containsExactly(Map.entry("u1", List.of("i1", "i3", "i5")),
                Map.entry("u2", List.of("i4")));
        assertThat(read.records()).isEqualTo(6);
        assertThat(read.duplicates()).isEqualTo(1);
        assertThat(read.otherTypes()).isEqualTo(1);
        assertThat(read.endOffsets()).containsExactly(Map.entry(dir.toString(), 6L));
        assertThat(read.actions()).isEqualTo(4);
    }

    @Test
    void theLogsOfEveryRouterPodUnderOneVolumeAreReadTogetherEachEventOnce() {
        // Two routers on one claim, each with its own log; a client retried through the other router.
        try (FeedbackLog a = FeedbackLog.open(dir.resolve("games-router-a"), FeedbackLog.Settings.DEFAULT, Clock.systemUTC());
                FeedbackLog b = FeedbackLog.open(dir.resolve("games-router-b"), FeedbackLog.Settings.DEFAULT,
                        Clock.systemUTC())) {
            a.append(event("e1", "u1", "i1", "click", 1_000).toBytes()).join();
            b.append(event("e2", "u1", "i2", "click", 500).toBytes()).join();
            b.append(event("e1", "u1", "i1", "click", 1_000).toBytes()).join();
            a.append(event("e3", "u2", "i3", "click", 700).toBytes()).join();
        }
        FeedbackData.Read read = FeedbackData.read(dir, Set.of("click"));
        assertThat(read.itemsByUser()).containsExactly(Map.entry("u1", List.of("i2", "i1")), Map.entry("u2", List.of("i3")));
        assertThat(read.records()).isEqualTo(4);
        assertThat(read.duplicates()).isEqualTo(1);
        assertThat(read.endOffsets()).containsExactly(Map.entry(dir.resolve("games-router-a").toString(), 2L),
                Map.entry(dir.resolve("games-router-b").toString(), 2L));
    }

    @Test
    void feedbackFollowsEachUsersOwnActionsAndTheFingerprintCoversIt() {
        ItemVocabulary items = new ItemVocabulary();
        Interactions base = new Interactions(List.of("u1", "u3"),
                List.of(new int[] {items.add("i7"), items.add("i8")}, new int[] {items.add("i8")}), items);
        Interactions merged = FeedbackData.append(base, Map.of("u1", List.of("i1"), "u2", List.of("i4", "i7")));
        assertThat(merged.userIds()).containsExactly("u1", "u3", "u2");
        assertThat(externalIds(merged, 0)).containsExactly("i7", "i8", "i1");
        assertThat(externalIds(merged, 1)).containsExactly("i8");
        assertThat(externalIds(merged, 2)).containsExactly("i4", "i7");
        assertThat(merged.fingerprint()).isNotEqualTo(base.fingerprint());
        assertThat(FeedbackData.append(base, Map.of()).fingerprint()).isEqualTo(base.fingerprint());
    }

    private static List<String> externalIds(Interactions data, int user) {
        return java.util.Arrays.stream(data.sequences().get(user)).mapToObj(data.items()::externalId).toList();
    }
}
