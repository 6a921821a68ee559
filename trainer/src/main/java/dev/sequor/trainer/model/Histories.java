package dev.sequor.trainer.model;

/** Fixed-length model inputs: the most recent actions, left-padded with 0. */
public final class Histories {

    private Histories() {
    }

    /** Writes the last {@code length} items of {@code history} into row {@code row} of {@code out}. */
    public static void leftPad(int[] history, int from, int to, long[] out, int row, int length) {
        int n = Math.min(length, to - from);
        int offset = row * length + (length - n);
        for (int i = 0; i < n; i++) {
            out[offset + i] = history[to - n + i];
        }
    }

    /** Writes the last {@code length} values of {@code values[from, to)} (an action feature) into row {@code row}. */
    public static void leftPad(long[] values, int from, int to, long[] out, int row, int length) {
        int n = Math.min(length, to - from);
        System.arraycopy(values, to - n, out, row * length + (length - n), n);
    }

    /** Rows of an action feature (times, event types), left-padded with 0 like the histories. */
    public static long[] leftPadFeature(java.util.List<long[]> rows, int length) {
        long[] out = new long[rows.size() * length];
        for (int r = 0; r < rows.size(); r++) {
            long[] t = rows.get(r);
            leftPad(t, 0, t.length, out, r, length);
        }
        return out;
    }

    public static long[] leftPad(java.util.List<int[]> histories, int length) {
        long[] out = new long[histories.size() * length];
        for (int r = 0; r < histories.size(); r++) {
            int[] h = histories.get(r);
            leftPad(h, 0, h.length, out, r, length);
        }
        return out;
    }

    /**
     * BERT4Rec's question "which item comes next?": each row of left-padded histories [rows, length]
     * without its oldest position, then the mask token in the last one.
     */
    public static long[] askForNext(long[] histories, int length, long maskToken) {
        long[] out = new long[histories.length];
        for (int r = 0; r < histories.length / length; r++) {
            System.arraycopy(histories, r * length + 1, out, r * length, length - 1);
            out[(r + 1) * length - 1] = maskToken;
        }
        return out;
    }
}
