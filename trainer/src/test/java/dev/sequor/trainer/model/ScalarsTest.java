package dev.sequor.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    /**
     * The hazard: between forward and backward the garbage collector runs and direct buffers are
     * reused. With DJL's own {@code x.mul(3f)} this gave gradients of 1.4e-45 instead of 3.
     */
    @Test
    void gradientsSurviveACollectionBetweenForwardAndBackward() {
        assertThat(gradientUnderCollection(x -> Scalars.times(x, 3f))).containsOnly(3f);
        assertThat(gradientUnderCollection(x -> Scalars.dividedBy(x, 4f))).containsOnly(0.25f);
        assertThat(gradientUnderCollection(x -> Scalars.over(2f, x))).containsOnly(-2f);
        assertThat(gradientUnderCollection(x -> Scalars.atLeast(x, 0.5f))).containsOnly(1f);
        assertThat(gradientUnderCollection(x -> Scalars.atLeast(x, 2f))).containsOnly(0f);
    }

    /** d/dx of sum(f(x)) at x = 1, with a garbage collection and fresh direct buffers in between. */
    private static float[] gradientUnderCollection(UnaryOperator<NDArray> f) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(8));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x).sum();
                System.gc();
                List<ByteBuffer> reused = new ArrayList<>();
                for (int i = 0; i < 20_000; i++) {
                    reused.add(ByteBuffer.allocateDirect(4).putFloat(0, 1e20f));
                }
                collector.backward(y);
                assertThat(reused).hasSize(20_000);
            }
            return x.getGradient().toFloatArray();
        }
    }

    /** Number arithmetic that autograd may keep goes through {@link Scalars} in the trainer's code. */
    @Test
    void theTrainerUsesNoNumberArithmeticOfDjl() throws IOException {
        Pattern numberOperand = Pattern.compile(
                "\\.(mul|div|pow|maximum|minimum)\\(\\s*(\\((float|double|int|long)\\)|-?\\d|([\\w.]*\\.)?[A-Z][A-Z_]+\\))");
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (!line.trim().startsWith("*") && numberOperand.matcher(line).find()) {
                        offending.add(file + ":" + (i + 1) + ": " + line.trim());
                    }
                }
            }
        }
        assertThat(offending).isEmpty();
    }
}
