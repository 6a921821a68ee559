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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SASRec: item plus learned position embeddings, causal multi-head self-attention blocks with
 * point-wise feed-forward layers, dropout and layer norm. Input: histories [B, L] of item indices,
 * left-padded with 0, L <= maxLength (a batch may be cut to its longest history). Output: hidden
 * states [B, L, hidden]; position t scores the item after t by a dot product with the (shared)
 * item embeddings.
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
        weight("item_embedding", new Shape(items + 1, d));
        weight("position_embedding", new Shape(config.maxLength(), d));
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

    /** The next forward pass uses these per-user probes (DP-SGD); the pass clears them. */
    public void probeNextForward(PerUserProbes probes) {
        this.nextProbes = probes;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        PerUserProbes probes = nextProbes;
        nextProbes = null;
        return new NDList(encode(ps, inputs.singletonOrThrow(), training, probes));
    }

    /**
     * The hidden states of a batch of histories. With {@code probes}, every parameter is used per
     * user (the shared value plus that user's zero probe), so that after a backward pass each
     * probe's gradient is one user's gradient of that parameter (DP-SGD's per-user clipping);
     * the output is the same.
     */
    public NDArray encode(ParameterStore ps, NDArray history, boolean training, PerUserProbes probes) {
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
        x = x.add(probes == null ? position : probes.perUser("position_embedding", position)).mul(mask);
        x = dropout(x, training);
        // Position t may attend to positions <= t only.
        NDArray causal = manager.create(causalMask((int) length), new Shape(length, length)).toDevice(device, false);
        // Nor, from a real position, to padding: a short history would otherwise spread its attention
        // over the empty slots. Padding rows keep some key (their output is masked anyway): a row
        // with every key masked made training nondeterministic and now and then NaN.
        NDArray paddingKeys = Scalars.times(real.neg().add(1f), MASKED).reshape(batch, 1, 1, length);
        NDArray attentionMask = causal.add(paddingKeys.mul(real.reshape(batch, 1, length, 1)));

        Layers layers = new Layers(ps, device, training, probes);
        for (int b = 0; b < config.blocks(); b++) {
            String pre = "block" + b + ".";
            if (config.preLayerNorm()) {
                NDArray h = layers.norm(pre + "attention_norm", x);
                x = x.add(attention(layers, pre, h, h, attentionMask, batch, length, training));
                NDArray f = layers.norm(pre + "feed_forward_norm", x);
                x = x.add(feedForward(layers, pre, f, training));
            } else {
                NDArray q = layers.norm(pre + "attention_norm", x);
                x = q.add(attention(layers, pre, q, x, attentionMask, batch, length, training));
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
            NDArray attentionMask, long batch, long length, boolean training) {
        int h = config.heads();
        int dh = config.hidden() / h;
        NDArray q = heads(layers.linear(pre + "query", queryInput), batch, length, h, dh);
        NDArray k = heads(layers.linear(pre + "key", keyValueInput), batch, length, h, dh);
        NDArray v = heads(layers.linear(pre + "value", keyValueInput), batch, length, h, dh);
        NDArray scores = Scalars.dividedBy(q.matMul(k.transpose(0, 1, 3, 2)), (float) Math.sqrt(dh)).add(attentionMask);
        NDArray weights = dropout(scores.softmax(-1), training);
        NDArray out = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, config.hidden());
        return layers.linear(pre + "output", out);
    }

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
