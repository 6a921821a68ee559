import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;

/**
 * One user, one request at a time, on a quiet machine: the latency a hop adds with nothing else
 * running. Alternates the URLs twice (the first round warms up) and prints p50/p90 of the second.
 *
 *   java SequentialLatency.java BODY URL...
 */
public class SequentialLatency {

    public static void main(String[] args) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int round = 0; round < 2; round++) {
            for (int u = 1; u < args.length; u++) {
                long[] took = new long[3000];
                for (int i = 0; i < took.length; i++) {
                    long start = System.nanoTime();
                    http.send(HttpRequest.newBuilder(URI.create(args[u])).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(args[0])).build(), HttpResponse.BodyHandlers.ofString());
                    took[i] = System.nanoTime() - start;
                }
                Arrays.sort(took);
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "%-50s p50 %.3f ms  p90 %.3f ms%n", args[u], took[1500] / 1e6, took[2700] / 1e6);
                }
            }
        }
    }
}
