import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.sequor.modelpackage.OnnxSignature;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine's ceiling for serving a package: ONNX Runtime alone, in this process, running
 * batches of real user histories back to back with the runtime's session options. No server
 * can answer more requests per second than this on the same CPU; the serving benchmark reports
 * each server as a fraction of it.
 *
 *   java -cp 'inference-runtime/target/quarkus-app/lib/main/*' OrtCeiling.java PACKAGE HISTORIES SECONDS THREADS K BATCH...
 *
 * HISTORIES holds one user per line, the items' external ids in time order (as LoadGenerator reads).
 */
public class OrtCeiling {

    public static void main(String[] args) throws Exception {
        Path pkg = Path.of(args[0]);
        int seconds = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        int k = Integer.parseInt(args[4]);
        String metadata = Files.readString(pkg.resolve("metadata.json"));
        int length = Integer.parseInt(metadata.replaceAll("(?s).*\"maxSequenceLength\"\\s*:\\s*(\\d+).*", "$1"));
        Map<String, Long> index = new HashMap<>();
        for (String line : Files.readAllLines(pkg.resolve("items.tsv"))) {
            String[] parts = line.split("\t");
            index.put(parts[1], Long.parseLong(parts[0]));
        }
        List<long[]> histories = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            long[] row = new long[length];
            List<Long> known = new ArrayList<>();
            for (String id : line.trim().split(",")) {
                if (index.containsKey(id)) {
                    known.add(index.get(id));
                }
            }
            int n = Math.min(length, known.size());
            for (int i = 0; i < n; i++) {
                row[length - n + i] = known.get(known.size() - n + i);
            }
            if (n > 0) {
                histories.add(row);
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        try (OrtSession session = env.createSession(pkg.resolve("model.onnx").toString(), options)) {
            System.out.printf(Locale.ROOT, "%-6s %10s %12s %12s%n", "batch", "rows/s", "ms/run", "runs");
            for (int b = 5; b < args.length; b++) {
                int batch = Integer.parseInt(args[b]);
                run(env, session, histories, length, k, batch, 2); // warm-up
                long start = System.nanoTime();
                long runs = run(env, session, histories, length, k, batch, seconds);
                double elapsed = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "%-6d %10.0f %12.3f %12d%n", batch, runs * batch / elapsed,
                        elapsed * 1000 / runs, runs);
            }
        }
    }

    /** Batches of {@code batch} histories (each excluding its own items) for {@code seconds}; the number of runs. */
    private static long run(OrtEnvironment env, OrtSession session, List<long[]> histories, int length, int k, int batch,
            int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long runs = 0;
        int next = 0;
        long[] rows = new long[batch * length];
        while (System.nanoTime() < end) {
            for (int r = 0; r < batch; r++) {
                System.arraycopy(histories.get(next++ % histories.size()), 0, rows, r * length, length);
            }
            try (OnnxTensor h = OnnxTensor.createTensor(env, LongBuffer.wrap(rows), new long[] {batch, length});
                    OnnxTensor e = OnnxTensor.createTensor(env, LongBuffer.wrap(rows), new long[] {batch, length});
                    OnnxTensor kk = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {k}), new long[] {1});
                    OrtSession.Result result = session.run(Map.of(OnnxSignature.INPUT_HISTORY, h,
                            OnnxSignature.INPUT_EXCLUDE, e, OnnxSignature.INPUT_K, kk))) {
                runs++;
            }
        }
        return runs;
    }
}
