package dev.sequor.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import dev.sequor.modelpackage.OnnxSignature;
import dev.sequor.trainer.data.ActionFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SASRec: item plus learned position embeddings, causal multi-head self-attention blocks with
 * point-wise feed-forward layers, dropout and layer norm. Input: histories [B, L] of item indices,
 * left-padded with 0, L <= maxLength (a batch may be cut to its longest history). Output: hidden
 * states [B, L, hidden]; position t scores the item after t by a dot product with the (shared)
 * item embeddings.
 *
 * <p>With {@link SasRecConfig#readsTime()} this is TiSASRec: a second input, timestamps [B, L]
 * aligned with the history (any integer unit, non-decreasing; padding's are ignored), gives every
 * pair of positions an interval ({@link #intervals}) whose learned embeddings are added to the keys
 * and the values of every block's attention. With {@link SasRecConfig#readsEvents()}, an input of
 * event types [B, L] (1.., 0 for padding) has a learned embedding added to each item's input.
 * Inputs come in the order of {@link SasRecConfig#features()} after the history.
 *
 * <p>With {@link SasRecConfig#bidirectional()} this is BERT4Rec: every position attends to every
 * real one, and the item table has one more row, the mask token ({@link SasRecConfig#maskToken}),
 * at whose position the model says which item belongs there. A scorer asks for the next item with
 * {@link Histories#askForNext}.
 *
 * <p>All weights are direct, named parameters, so the ONNX exporter can read them by name.
 */
public final class SasRecBlock extends AbstractBlock {

    static final float LAYER_NORM_EPSILON = 1e-8f;
    /** Added to a score that must never win: masked attention positions, padding, excluded items. */
    public static final float MASKED = OnnxSignature.MASKED;

    private final SasRecConfig config;
    private final int items;
    private final Map<String, Parameter> named = new LinkedHashMap<>();
    private PerUserProbes nextProbes;

    public SasRecBlock(SasRecConfig config, int items) {
        this.config = config;
        this.items = items;
        int d = config.hidden();
        weight("item_embedding", new Shape(items + (config.bidirectional() ? 2 : 1), d));
        weight("position_embedding", new Shape(config.maxLength(), d));
        if (config.readsTime()) {
            weight("interval_key_embedding", new Shape(config.timeSpan() + 1, d));
            weight("interval_value_embedding", new Shape(config.timeSpan() + 1, d));
        }
        if (config.readsEvents()) {
            weight("event_embedding", new Shape(config.eventTypes() + 1, d));
        }
        for (int b = 0; b < config.blocks(); b++) {
            String p = "block" + b + ".";
            norm(p + "attention_norm", d);
            for (String proj : new String[] {"query", "key", "value", "output"}) {
                weight(p + proj + ".weight", new Shape(d, d));
                bias(p + proj + ".bias", d);
            }
            norm(p + "feed_forward_norm", d);
            weight(p + "feed_forward1.weight", new Shape(d, d));
            bias(p + "feed_forward1.bias", d);
            weight(p + "feed_forward2.weight", new Shape(d, d));
            bias(p + "feed_forward2.bias", d);
        }
        norm("final_norm", d);
    }

    public SasRecConfig config() {
        return config;
    }

    public int items() {
        return items;
    }

    /** The named weights in declaration order. */
    public Map<String, Parameter> namedParameters() {
        return named;
    }

    public Parameter itemEmbedding() {
        return named.get("item_embedding");
    }

    /**
     * The embeddings that score the catalogue, [items + 1, hidden] with padding first: the item
     * table without BERT4Rec's mask token, which is never an answer.
     */
    public NDArray outputEmbedding() {
        NDArray all = itemEmbedding().getArray();
        return config.bidirectional() ? all.get(new NDIndex("0:" + (items + 1))) : all;
    }

    /** The next forward pass uses these per-user probes (DP-SGD); the pass clears them. */
    public void probeNextForward(PerUserProbes probes) {
        this.nextProbes = probes;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        PerUserProbes probes = nextProbes;
        nextProbes = null;
        List<ActionFeature> features = config.features();
        if (inputs.size() != 1 + features.size()) {
            throw new IllegalArgumentException("this model takes histories" + (features.isEmpty() ? ""
                    : " and " + features) + ", got " + inputs.size() + " inputs");
        }
        NDArray timestamps = config.readsTime() ? inputs.get(1 + features.indexOf(ActionFeature.TIMESTAMPS)) : null;
        NDArray events = config.readsEvents() ? inputs.get(1 + features.indexOf(ActionFeature.EVENTS)) : null;
        return new NDList(encode(ps, inputs.get(0), timestamps, events, training, probes));
    }

    /**
     * The hidden states of a batch of histories. With {@code probes}, every parameter is used per
     * user (the shared value plus that user's zero probe), so that after a backward pass each
     * probe's gradient is one user's gradient of that parameter (DP-SGD's per-user clipping);
     * the output is the same.
     */
    public NDArray encode(ParameterStore ps, NDArray history, NDArray timestamps, NDArray events, boolean training,
            PerUserProbes probes) {
        if (probes != null && (timestamps != null || events != null)) {
            throw new IllegalArgumentException("differentially private training does not support time intervals or "
                    + "event types yet");
        }
        Device device = history.getDevice();
        int d = config.hidden();
        long batch = history.getShape().get(0);
        long length = history.getShape().get(1);
        NDManager manager = history.getManager();

        NDArray real = history.gt(0).toType(DataType.FLOAT32, false);
        NDArray mask = real.expandDims(-1);
        NDArray items = Embedding.embedding(history, p(ps, "item_embedding", device, training), SparseFormat.DENSE)
                .singletonOrThrow();
        if (probes != null) {
            items = probes.lookups(history, items);
        }
        NDArray x = Scalars.times(items, (float) Math.sqrt(d));
        NDArray position = positions(ps, length, device, training);
        x = x.add(probes == null ? position : probes.perUser("position_embedding", position));
        if (events != null) {
            x = x.add(Embedding.embedding(events, p(ps, "event_embedding", device, training), SparseFormat.DENSE)
                    .singletonOrThrow());
        }
        x = x.mul(mask);
        x = dropout(x, training);
        // No position attends, from a real position, to padding: a short history would otherwise spread
        // its attention over the empty slots. Padding rows keep some key (their output is masked anyway):
        // a row with every key masked made training nondeterministic and now and then NaN.
        NDArray paddingKeys = Scalars.times(real.neg().add(1f), MASKED).reshape(batch, 1, 1, length);
        NDArray attentionMask = paddingKeys.mul(real.reshape(batch, 1, length, 1));
        if (!config.bidirectional()) {
            // Left to right: position t attends to positions <= t only.
            attentionMask = attentionMask.add(manager.create(causalMask((int) length), new Shape(length, length))
                    .toDevice(device, false));
        }

        Intervals intervals = null;
        if (timestamps != null) {
            NDArray index = intervals(timestamps, real, config.timeSpan());
            intervals = new Intervals(intervalHeads(ps, "interval_key_embedding", index, device, training, batch, length),
                    intervalHeads(ps, "interval_value_embedding", index, device, training, batch, length));
        }
        Layers layers = new Layers(ps, device, training, probes);
        for (int b = 0; b < config.blocks(); b++) {
            String pre = "block" + b + ".";
            if (config.preLayerNorm()) {
                NDArray h = layers.norm(pre + "attention_norm", x);
                x = x.add(attention(layers, pre, h, h, attentionMask, intervals, batch, length, training));
                NDArray f = layers.norm(pre + "feed_forward_norm", x);
                x = x.add(feedForward(layers, pre, f, training));
            } else {
                NDArray q = layers.norm(pre + "attention_norm", x);
                x = q.add(attention(layers, pre, q, x, attentionMask, intervals, batch, length, training));
                x = layers.norm(pre + "feed_forward_norm", x);
                x = x.add(feedForward(layers, pre, x, training));
            }
            x = x.mul(mask);
        }
        return layers.norm("final_norm", x);
    }

    /**
     * Position embeddings for an input of {@code length} <= maxLength columns: histories are
     * left-padded, so the last column is always the last position and a shorter input (a batch
     * trimmed to its longest history) takes the last {@code length} positions.
     */
    private NDArray positions(ParameterStore ps, long length, Device device, boolean training) {
        NDArray all = p(ps, "position_embedding", device, training);
        if (length > config.maxLength()) {
            throw new IllegalArgumentException("input of " + length + " positions is longer than maxLength "
                    + config.maxLength());
        }
        return length == config.maxLength() ? all : all.get(new NDIndex((config.maxLength() - length) + ":"));
    }

    private NDArray attention(Layers layers, String pre, NDArray queryInput, NDArray keyValueInput,
            NDArray attentionMask, Intervals intervals, long batch, long length, boolean training) {
        int h = config.heads();
        int dh = config.hidden() / h;
        NDArray q = heads(layers.linear(pre + "query", queryInput), batch, length, h, dh);
        NDArray k = heads(layers.linear(pre + "key", keyValueInput), batch, length, h, dh);
        NDArray v = heads(layers.linear(pre + "value", keyValueInput), batch, length, h, dh);
        NDArray qk = q.matMul(k.transpose(0, 1, 3, 2));
        if (intervals != null) {
            // q_i · r_ij, each query against the interval embeddings of its row: one small matrix
            // product per (user, position, head) rather than a [B, h, L, L, dh] product.
            NDArray byRow = q.transpose(0, 2, 1, 3).expandDims(3).matMul(intervals.keys().transpose(0, 1, 2, 4, 3));
            qk = qk.add(byRow.squeeze(3).transpose(0, 2, 1, 3));
        }
        NDArray scores = Scalars.dividedBy(qk, (float) Math.sqrt(dh)).add(attentionMask);
        NDArray weights = dropout(scores.softmax(-1), training);
        NDArray mixed = weights.matMul(v);
        if (intervals != null) {
            // Σ_j a_ij r_ij, the same way.
            NDArray byRow = weights.transpose(0, 2, 1, 3).expandDims(3).matMul(intervals.values());
            mixed = mixed.add(byRow.squeeze(3).transpose(0, 2, 1, 3));
        }
        NDArray out = mixed.transpose(0, 2, 1, 3).reshape(batch, length, config.hidden());
        return layers.linear(pre + "output", out);
    }

    /** The interval embeddings of every pair of positions, by row and head: [B, L (i), heads, L (j), hidden / heads]. */
    private record Intervals(NDArray keys, NDArray values) {
    }

    private NDArray intervalHeads(ParameterStore ps, String name, NDArray index, Device device, boolean training,
            long batch, long length) {
        NDArray e = Embedding.embedding(index, p(ps, name, device, training), SparseFormat.DENSE).singletonOrThrow();
        int h = config.heads();
        return dropout(e, training).reshape(batch, length, length, h, config.hidden() / h).transpose(0, 1, 3, 2, 4);
    }

    /**
     * TiSASRec's interval of every pair of positions [B, L, L] (int64): |t_i - t_j| in units of
     * the user's smallest non-zero gap between two real actions (1 when there is none), rounded
     * down and clipped at {@code span}. Computed in float64 so that the ONNX graph's same steps give
     * the same integers; pairs with padding get some interval (their attention is masked).
     */
    public static NDArray intervals(NDArray timestamps, NDArray real, int span) {
        NDManager m = timestamps.getManager();
        NDArray t = timestamps.toType(DataType.FLOAT64, false);
        NDArray gap = t.expandDims(2).sub(t.expandDims(1)).abs();
        NDArray r = real.toType(DataType.FLOAT64, false);
        NDArray counted = gap.gt(0).toType(DataType.FLOAT64, false).mul(r.expandDims(2).mul(r.expandDims(1)));
        NDArray uncounted = counted.eq(0).toType(DataType.FLOAT64, false);
        NDArray noGap = m.create(NO_GAP).toDevice(t.getDevice(), false);
        NDArray candidates = gap.mul(counted).add(uncounted.mul(noGap));
        NDArray smallest = candidates.min(new int[] {2}, true).min(new int[] {1}, true);
        NDArray none = smallest.gte(noGap).toType(DataType.FLOAT64, false);
        NDArray unit = smallest.mul(none.eq(0).toType(DataType.FLOAT64, false)).add(none);
        NDArray limit = m.create((double) span).toDevice(t.getDevice(), false);
        return gap.div(unit).floor().minimum(limit).toType(DataType.INT64, false);
    }

    /** Stands in for "no gap" when looking for the smallest one; above any real gap. */
    public static final double NO_GAP = 1e300;

    private NDArray feedForward(Layers layers, String pre, NDArray x, boolean training) {
        NDArray hidden = dropout(Activation.relu(layers.linear(pre + "feed_forward1", x)), training);
        return dropout(layers.linear(pre + "feed_forward2", hidden), training);
    }

    /** 0 where a position may attend, a large negative number above the diagonal. */
    public static float[] causalMask(int length) {
        float[] mask = new float[length * length];
        for (int i = 0; i < length; i++) {
            for (int j = i + 1; j < length; j++) {
                mask[i * length + j] = MASKED;
            }
        }
        return mask;
    }

    private static NDArray heads(NDArray x, long batch, long length, int h, int dh) {
        return x.reshape(batch, length, h, dh).transpose(0, 2, 1, 3);
    }

    /** Linear layers and layer norms with shared parameters, or per user when probed. */
    private final class Layers {
        private final ParameterStore ps;
        private final Device device;
        private final boolean training;
        private final PerUserProbes probes;

        Layers(ParameterStore ps, Device device, boolean training, PerUserProbes probes) {
            this.ps = ps;
            this.device = device;
            this.training = training;
            this.probes = probes;
        }

        NDArray linear(String name, NDArray x) {
            NDArray weight = p(ps, name + ".weight", device, training);
            NDArray bias = p(ps, name + ".bias", device, training);
            if (probes == null) {
                return Linear.linear(x, weight, bias).singletonOrThrow();
            }
            // x [B, L, in] times each user's weight [B, out, in] transposed, plus each user's bias.
            NDArray userWeight = probes.perUser(name + ".weight", weight);
            NDArray userBias = probes.perUser(name + ".bias", bias);
            return x.matMul(userWeight.transpose(0, 2, 1)).add(userBias.expandDims(1));
        }

        NDArray norm(String name, NDArray x) {
            NDArray gamma = p(ps, name + ".gamma", device, training);
            NDArray beta = p(ps, name + ".beta", device, training);
            if (probes == null) {
                return LayerNorm.layerNorm(x, new Shape(config.hidden()), gamma, beta, LAYER_NORM_EPSILON)
                        .singletonOrThrow();
            }
            NDManager m = x.getManager();
            NDArray normalized = LayerNorm.layerNorm(x, new Shape(config.hidden()),
                    m.ones(new Shape(config.hidden())), m.zeros(new Shape(config.hidden())), LAYER_NORM_EPSILON)
                    .singletonOrThrow();
            return normalized.mul(probes.perUser(name + ".gamma", gamma).expandDims(1))
                    .add(probes.perUser(name + ".beta", beta).expandDims(1));
        }
    }

    private NDArray dropout(NDArray x, boolean training) {
        return training && config.dropout() > 0 ? Dropout.dropout(x, config.dropout(), true).singletonOrThrow() : x;
    }

    private NDArray p(ParameterStore ps, String name, Device device, boolean training) {
        return ps.getValue(named.get(name), device, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        // One input (history) or two (history, timestamps); the output follows the history.
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), config.hidden())};
    }

    private void weight(String name, Shape shape) {
        named.put(name, addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optShape(shape).optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                        XavierInitializer.FactorType.AVG, 2)).build()));
    }

    private void bias(String name, int size) {
        named.put(name, addParameter(Parameter.builder().setName(name).setType(Parameter.Type.BIAS)
                .optShape(new Shape(size)).optInitializer(new ConstantInitializer(0)).build()));
    }

    private void norm(String name, int size) {
        named.put(name + ".gamma", addParameter(Parameter.builder().setName(name + ".gamma")
                .setType(Parameter.Type.GAMMA).optShape(new Shape(size)).optInitializer(new ConstantInitializer(1))
                .build()));
        named.put(name + ".beta", addParameter(Parameter.builder().setName(name + ".beta")
                .setType(Parameter.Type.BETA).optShape(new Shape(size)).optInitializer(new ConstantInitializer(0))
                .build()));
    }
}
