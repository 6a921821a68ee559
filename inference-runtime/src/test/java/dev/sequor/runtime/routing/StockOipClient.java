package dev.sequor.runtime.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sequor.contract.RuntimeContract;
import dev.sequor.testing.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tritonclient, the stock Open Inference Protocol client from PyPI, run by
 * src/test/python/stock_oip_client.py from the virtual environment scripts/oip-clients-venv.sh keeps.
 */
final class StockOipClient {

    private StockOipClient() {
    }

    /** Runs every call of the script; what each returned, as JSON. {@code history} is comma-separated item indices. */
    static JsonNode call(String httpTarget, String grpcTarget, String model, String user, String history, int length)
            throws IOException, InterruptedException {
        String python = Repo.runScript("scripts/oip-clients-venv.sh").trim();
        Path script = Repo.root().resolve("inference-runtime/src/test/python/stock_oip_client.py");
        Path err = Files.createTempFile("stock-oip-client", ".err");
        Process p = new ProcessBuilder(List.of(python, script.toString(), httpTarget, grpcTarget, model,
                RuntimeContract.USER_HEADER, user, history, Integer.toString(length))).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("the stock client failed:\n" + Files.readString(err) + out);
        }
        return new ObjectMapper().readTree(out);
    }
}
