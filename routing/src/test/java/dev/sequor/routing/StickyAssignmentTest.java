package dev.sequor.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class StickyAssignmentTest {

    private static final int USERS = 100_000;
    private static final List<String> KEYS = IntStream.range(0, USERS).mapToObj(i -> "user-" + i).toList();

    static TrafficSplit canary(int weight, String salt) {
        return new TrafficSplit(TrafficSplit.FORMAT_VERSION, "games", salt, List.of(
                new Route("candidate", "8", weight, "http://games-v8:8080", "games-v8:9000"),
                new Route("champion", "7", 100 - weight, "http://games-v7:8080", "games-v7:9000")), null);
    }

    @Test
    void bucketsAreUniformByChiSquare() {
        // 100 equal bins of 100 buckets (one percent of weight each): 99 degrees of freedom, whose
        // 0.999 quantile is 148.23. Fixed keys, so the test is deterministic; a biased hash fails it.
        int[] bins = new int[100];
        for (String key : KEYS) {
            bins[StickyAssignment.bucket("experiment-1", key) / 100]++;
        }
        double expected = USERS / 100.0;
        double chiSquare = 0;
        for (int observed : bins) {
            chiSquare += (observed - expected) * (observed - expected) / expected;
        }
        assertThat(chiSquare).isLessThan(148.23);
    }

    @Test
    void variantSharesFollowTheWeights() {
        for (int weight : new int[] {5, 25, 50}) {
            StickyAssignment assignment = new StickyAssignment(canary(weight, "s"));
            long inCandidate = KEYS.stream().filter(k -> assignment.route(k).variant().equals("candidate")).count();
            // Binomial standard deviation at 50% over 100,000 users is 158: four of them is 0.63 points.
            assertThat(inCandidate / (double) USERS * 100).isCloseTo(weight, Offset.offset(0.7));
        }
    }

    @Test
    void growingTheCanaryKeepsEveryUserItHad() {
        StickyAssignment at5 = new StickyAssignment(canary(5, "s"));
        StickyAssignment at25 = new StickyAssignment(canary(25, "s"));
        StickyAssignment at100 = new StickyAssignment(canary(100, "s"));
        for (String key : KEYS) {
            if (at5.route(key).variant().equals("candidate")) {
                assertThat(at25.route(key).variant()).as(key).isEqualTo("candidate");
            }
            if (at25.route(key).variant().equals("champion")) {
                assertThat(at5.route(key).variant()).as(key).isEqualTo("champion");
            }
            assertThat(at100.route(key).variant()).isEqualTo("candidate");
        }
    }

    @Test
    void aNewSaltRedrawsUsers() {
        StickyAssignment a = new StickyAssignment(canary(50, "experiment-1"));
        StickyAssignment b = new StickyAssignment(canary(50, "experiment-2"));
        long same = KEYS.stream().filter(k -> a.route(k).variant().equals(b.route(k).variant())).count();
        assertThat(same / (double) USERS).isBetween(0.48, 0.52);
    }

    @Test
    void requestsWithoutAUserKeyGoToTheChampion() {
        StickyAssignment assignment = new StickyAssignment(canary(100, "s"));
        assertThat(assignment.route(null).variant()).isEqualTo("champion");
        assertThat(assignment.route("").variant()).isEqualTo("champion");
    }

    @Test
    void abTestLaysCandidatesOutInOrder() {
        TrafficSplit split = new TrafficSplit(1, "games", "ab", List.of(
                new Route("b", "8", 30, "http://b:8080", "b:9000"),
                new Route("c", "9", 30, "http://c:8080", "c:9000"),
                new Route("champion", "7", 40, "http://a:8080", "a:9000")), null);
        StickyAssignment assignment = new StickyAssignment(split);
        assertThat(assignment.candidateRanges()).extracting(StickyAssignment.Range::from, StickyAssignment.Range::to)
                .containsExactly(Tuple.tuple(0, 3000), Tuple.tuple(3000, 6000));
        Map<String, Long> counts = KEYS.stream().collect(Collectors.groupingBy(k -> assignment.route(k).variant(),
                Collectors.counting()));
        assertThat(counts.get("b") / (double) USERS).isBetween(0.29, 0.31);
        assertThat(counts.get("c") / (double) USERS).isBetween(0.29, 0.31);
        assertThat(counts.get("champion") / (double) USERS).isBetween(0.39, 0.41);
    }

    @Test
    void bucketsAreTheSameInAnotherProcessAndLanguage() throws IOException, InterruptedException {
        // An independent implementation (Python's hashlib) in another process must agree on every
        // bucket: the assignment does not depend on the JVM, the router instance or a restart.
        List<String> keys = KEYS.subList(0, 2000);
        String script = "import hashlib,sys\n"
                + "for k in sys.stdin.read().split('\\n'):\n"
                + "    d = hashlib.sha256(b'experiment-1\\x00' + k.encode()).digest()\n"
                + "    print((int.from_bytes(d[:8], 'big') >> 1) % 10000)\n";
        Process python = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
        python.getOutputStream().write(String.join("\n", keys).getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        List<Integer> theirs = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(Integer::valueOf).toList();
        assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<Integer> ours = new ArrayList<>();
        keys.forEach(k -> ours.add(StickyAssignment.bucket("experiment-1", k)));
        assertThat(theirs).isEqualTo(ours);
        // And fixed values, so that no release changes them.
        assertThat(List.of("alice", "bob", "carol").stream().map(k -> StickyAssignment.bucket("experiment-1", k)).toList())
                .isEqualTo(List.of(GOLDEN_ALICE, GOLDEN_BOB, GOLDEN_CAROL));
    }

    private static final int GOLDEN_ALICE = 4297;
    private static final int GOLDEN_BOB = 3671;
    private static final int GOLDEN_CAROL = 2648;
}
