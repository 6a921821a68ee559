import dev.sequor.analysis.SequentialTestSettings;
import dev.sequor.analysis.SequentialTestSimulation;
import java.util.Locale;

/**
 * The sequential test's statistical properties by seeded simulation (bench/sequential-test.sh):
 * false positives under no difference for the mSPRT and for a z-test looked at every interval,
 * then power and mean stopping look under true differences.
 */
public class SequentialTestTable {

    public static void main(String[] args) {
        SequentialTestSettings settings = SequentialTestSettings.forMinimumEffect(0.05, 0.01, 500);
        int steps = 100;
        int perStep = 200;
        System.out.printf(Locale.ROOT, "alpha %.2f, tau %.3f, minimum %d trials per variant; %d looks, %d new trials per variant "
                + "between looks%n%n", settings.alpha(), Math.sqrt(settings.mixingVariance()), settings.minimumTrials(), steps, perStep);
        System.out.println("| champion | candidate | experiments | mSPRT decided | of which candidate better | mean stopping look | z-test peeked every look decided |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        double[][] cases = {{0.10, 0.10, 2000, 42}, {0.05, 0.05, 2000, 43}, {0.10, 0.105, 1000, 10}, {0.10, 0.11, 1000, 11},
                {0.10, 0.115, 1000, 12}, {0.10, 0.13, 1000, 13}, {0.10, 0.09, 1000, 14}};
        for (double[] c : cases) {
            SequentialTestSimulation.Outcome o = new SequentialTestSimulation((int) c[2], steps, perStep)
                    .run(settings, c[0], c[1], (long) c[3]);
            System.out.printf(Locale.ROOT, "| %.3f | %.3f | %d | %.4f | %.4f | %.1f | %.4f |%n", c[0], c[1], (int) c[2],
                    o.msprtRejectionRate(), o.candidateBetterRate(), o.meanStoppingStep(), o.peekingZRejectionRate());
        }
    }
}
