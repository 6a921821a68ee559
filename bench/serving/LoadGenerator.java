import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop HTTP load for the serving benchmark: N workers each send the next request as soon
 * as the last one is answered, for a fixed time, cycling through real user histories. Prints one
 * line per concurrency: requests/s, p50, p99, errors, and the CPU this generator itself used.
 * Written in Java (run as a single-file program) because the load needs a different history in
 * every request body and per-request latencies, for every server alike.
 *
 *   java LoadGenerator.java URL HISTORIES_FILE SECONDS K CONCURRENCY...
 *
 * SEQUOR_LOAD_PROTOCOL picks the body: {@code recommend} (default: the recommendation API, item
 * ids), {@code oip-json} or {@code oip-binary} (an Open Inference Protocol infer call on item
 * indices, JSON or the binary tensor data extension; needs SEQUOR_LOAD_ITEMS, the package's
 * items.tsv, and SEQUOR_LOAD_LENGTH, its history length; the body holds only {@code history}, so
 * {@code exclude} and {@code k} take their declared defaults, the row's history and 10, and every
 * OIP server in the benchmark gets byte-identical requests).
 * {@code ghz-data} writes the same histories to the file named first, as gRPC requests for ghz, and exits.
 * With SEQUOR_LOAD_USERS=N set, each recommendation body also carries a userId (one of N), as a router needs.
 */
public class LoadGenerator {

    /** One request body; {@code headerLength} is set for the OIP binary extension. */
    record Body(byte[] bytes, String headerLength) {
    }

    public static void main(String[] args) throws Exception {
        List<Body> bodies = new ArrayList<>();
        String users = System.getenv("SEQUOR_LOAD_USERS");
        String protocol = System.getenv().getOrDefault("SEQUOR_LOAD_PROTOCOL", "recommend");
        Map<String, Long> index = new HashMap<>();
        if (!protocol.equals("recommend")) {
            for (String line : Files.readAllLines(Path.of(System.getenv("SEQUOR_LOAD_ITEMS")))) {
                String[] parts = line.split("\t");
                index.put(parts[1], Long.parseLong(parts[0]));
            }
        }
        if (protocol.equals("ghz-data")) {
            writeGhzData(Path.of(args[0]), Files.readAllLines(Path.of(args[1])), index,
                    Integer.parseInt(System.getenv("SEQUOR_LOAD_LENGTH")));
            return;
        }
        URI url = URI.create(args[0]);
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (line.isBlank()) {
                continue;
            }
            if (protocol.equals("recommend")) {
                String ids = String.join(",", Arrays.stream(line.trim().split(",")).map(s -> "\"" + s + "\"").toList());
                String user = users == null ? "" : "\"userId\":\"user-" + bodies.size() % Integer.parseInt(users) + "\",";
                bodies.add(new Body(("{" + user + "\"history\":[" + ids + "],\"k\":" + args[3] + "}")
                        .getBytes(StandardCharsets.UTF_8), null));
            } else {
                bodies.add(oip(line, index, Integer.parseInt(System.getenv("SEQUOR_LOAD_LENGTH")),
                        protocol.equals("oip-binary")));
            }
        }
        int seconds = Integer.parseInt(args[2]);
        for (int i = 4; i < args.length; i++) {
            run(url, bodies, seconds, Integer.parseInt(args[i]));
        }
    }

    private static void run(URI url, List<Body> bodies, int seconds, int concurrency) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            long[] mine = new long[400_000];
            int[] count = {0};
            latencies.add(mine);
            Thread t = new Thread(() -> {
                while (running.get()) {
                    Body body = bodies.get(Math.floorMod(next.getAndIncrement(), bodies.size()));
                    long start = System.nanoTime();
                    try {
                        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
                        if (body.headerLength() != null) {
                            request.header("Inference-Header-Content-Length", body.headerLength())
                                    .header("Content-Type", "application/octet-stream");
                        } else {
                            request.header("Content-Type", "application/json");
                        }
                        HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                        long took = System.nanoTime() - start;
                        if (!measuring.get()) {
                            continue;
                        }
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (count[0] < mine.length - 1) {
                            mine[count[0]++] = took;
                        }
                    } catch (Exception e) {
                        if (measuring.get()) {
                            errors.incrementAndGet();
                        }
                    }
                }
                mine[mine.length - 1] = count[0];
            });
            workers.add(t);
            t.start();
        }
        Thread.sleep(2000);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cores = (os.getProcessCpuTime() - cpuStart) / 1e9 / elapsed;
        running.set(false);
        for (Thread t : workers) {
            t.join();
        }
        List<Long> all = new ArrayList<>();
        for (long[] l : latencies) {
            int n = (int) l[l.length - 1];
            for (int i = 0; i < n; i++) {
                all.add(l[i]);
            }
        }
        all.sort(null);
        double p50 = all.isEmpty() ? 0 : all.get(all.size() / 2) / 1e6;
        double p99 = all.isEmpty() ? 0 : all.get(Math.min(all.size() - 1, (int) (all.size() * 0.99))) / 1e6;
        System.out.printf(Locale.ROOT, "concurrency %3d  %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  loadgen-cpu %.2f cores%n",
                concurrency, all.size() / elapsed, p50, p99, errors.get(), cores);
    }

    /** One user's history as item indices, the last {@code length}, left-padded with 0. */
    private static long[] row(String line, Map<String, Long> index, int length) {
        List<Long> known = Arrays.stream(line.trim().split(",")).filter(index::containsKey).map(index::get).toList();
        long[] row = new long[length];
        int n = Math.min(length, known.size());
        for (int i = 0; i < n; i++) {
            row[length - n + i] = known.get(known.size() - n + i);
        }
        return row;
    }

    /** An OIP infer body: history [1, length] (left-padded indices), as JSON or JSON header + raw INT64s. */
    private static Body oip(String line, Map<String, Long> index, int length, boolean binary) {
        long[] row = row(line, index, length);
        if (!binary) {
            String data = String.join(",", Arrays.stream(row).mapToObj(Long::toString).toList());
            // SEQUOR_LOAD_EXCLUDE=1 sends exclude (= the history) too, for runtimes where it is required.
            String exclude = System.getenv("SEQUOR_LOAD_EXCLUDE") == null ? "" : ",{\"name\":\"exclude\",\"datatype\":"
                    + "\"INT64\",\"shape\":[1," + length + "],\"data\":[" + data + "]}";
            return new Body(("{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1," + length
                    + "],\"data\":[" + data + "]}" + exclude + "]}").getBytes(StandardCharsets.UTF_8), null);
        }
        byte[] header = ("{\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\",\"shape\":[1," + length
                + "],\"parameters\":{\"binary_data_size\":" + length * 8 + "}}"
                + "],\"parameters\":{\"binary_data_output\":true}}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer all = ByteBuffer.allocate(header.length + length * 8).put(header);
        all.slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(row);
        return new Body(all.array(), Integer.toString(header.length));
    }

    /**
     * The same histories as gRPC ModelInferRequests for ghz (protobuf JSON, which ghz sends round-robin):
     * {@code raw_input_contents}, little-endian INT64s, as the stock gRPC client sends them by default.
     */
    private static void writeGhzData(Path out, List<String> lines, Map<String, Long> index, int length) throws Exception {
        List<String> requests = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            ByteBuffer raw = ByteBuffer.allocate(length * 8).order(ByteOrder.LITTLE_ENDIAN);
            raw.asLongBuffer().put(row(line, index, length));
            requests.add("{\"model_name\":\"amazon\",\"inputs\":[{\"name\":\"history\",\"datatype\":\"INT64\","
                    + "\"shape\":[1," + length + "]}],\"raw_input_contents\":[\""
                    + Base64.getEncoder().encodeToString(raw.array()) + "\"]}");
        }
        Files.writeString(out, "[" + String.join(",\n", requests) + "]\n");
    }
}
