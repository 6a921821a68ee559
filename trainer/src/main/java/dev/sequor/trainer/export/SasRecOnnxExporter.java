package dev.sequor.trainer.export;

import static dev.sequor.trainer.export.OnnxGraphBuilder.floatAttribute;
import static dev.sequor.trainer.export.OnnxGraphBuilder.intAttribute;
import static dev.sequor.trainer.export.OnnxGraphBuilder.intsAttribute;

import ai.djl.ndarray.NDArray;
import dev.sequor.modelpackage.OnnxSignature;
import dev.sequor.trainer.model.SasRecBlock;
import dev.sequor.trainer.model.SasRecConfig;
import dev.sequor.trainer.onnx.proto.OnnxProto.AttributeProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.ModelProto;
import dev.sequor.trainer.onnx.proto.OnnxProto.TensorProto.DataType;

/**
 * Writes a trained SASRec (TiSASRec, BERT4Rec) as an ONNX inference graph (opset 17) that does the whole request on the
 * device: embeddings, the attention blocks, scoring of the catalogue, masking of excluded items
 * and top-k.
 *
 * <pre>
 * inputs   history  int64 [batch, maxLength]  item indices, left-padded with 0
 *          timestamps int64 [batch, maxLength] TiSASRec only: each action's time, aligned with history
 *          events   int64 [batch, maxLength]  with event types only: each action's type, 1.., 0 for padding
 *          exclude  int64 [batch, n]          item indices never to return (n >= 1; pad with 0)
 *          k        int64 [1]                 how many items to return
 * outputs  scores   float [batch, k]          best first
 *          items    int64 [batch, k]          item indices (see items.tsv)
 * </pre>
 */
public final class SasRecOnnxExporter {


    private SasRecOnnxExporter() {
    }

    public static ModelProto export(SasRecBlock block, String producerVersion) {
        SasRecConfig c = block.config();
        int d = c.hidden();
        int length = c.maxLength();
        int heads = c.heads();
        int dh = d / heads;
        OnnxGraphBuilder g = new OnnxGraphBuilder("sasrec");
        g.input(OnnxSignature.INPUT_HISTORY, DataType.INT64, "batch", (long) length);
        g.input(OnnxSignature.INPUT_EXCLUDE, DataType.INT64, "batch", "excluded");
        g.input(OnnxSignature.INPUT_K, DataType.INT64, 1L);
        for (var feature : c.features()) {
            g.input(feature.input(), DataType.INT64, "batch", (long) length);
        }

        String items = weight(g, block, "item_embedding", false);
        String positions = weight(g, block, "position_embedding", false);
        String zero = g.longs("zero_i64", new long[] {0});
        String lastAxis = g.longs("last_axis", new long[] {-1}, 1);
        String lastIndex = g.longs("last_index", new long[] {-1});
        String headShape = g.longs("head_shape", new long[] {0, length, heads, dh}, 4);
        String mergedShape = g.longs("merged_shape", new long[] {0, length, d}, 3);
        String sqrtD = g.scalar("sqrt_hidden", (float) Math.sqrt(d));
        String sqrtDh = g.scalar("sqrt_head", (float) Math.sqrt(dh));
        String masked = g.floats("masked_score", new float[] {OnnxSignature.MASKED}, 1);

        String history = c.bidirectional() ? askForNext(g, block) : OnnxSignature.INPUT_HISTORY;
        String mask = g.node("Cast", "mask", new AttributeProto[] {intAttribute("to", DataType.FLOAT_VALUE)},
                g.node("Greater", "nonpad", history, zero));
        String mask3 = g.node("Unsqueeze", "mask3", mask, lastAxis);
        // From real positions only, as in SasRecBlock.
        String paddingKeys = g.node("Unsqueeze", "padding_keys", g.node("Mul", "padding_score",
                g.node("Cast", "padding", new AttributeProto[] {intAttribute("to", DataType.FLOAT_VALUE)},
                        g.node("Equal", "is_padding", history, zero)), masked),
                g.longs("head_and_query_axes", new long[] {1, 2}, 2));
        String realQueries = g.node("Unsqueeze", "real_queries", mask,
                g.longs("head_and_key_axes", new long[] {1, 3}, 2));
        String keyMask = g.node("Mul", "key_mask", paddingKeys, realQueries);
        String attentionMask = c.bidirectional() ? keyMask
                : g.node("Add", "attention_mask", g.floats("causal_mask", SasRecBlock.causalMask(length), length, length),
                        keyMask);
        String x = g.node("Gather", "emb", new AttributeProto[] {intAttribute("axis", 0)}, items, history);
        x = g.node("Add", "pos", g.node("Mul", "scaled", x, sqrtD), positions);
        if (c.readsEvents()) {
            x = g.node("Add", "with_events", x, g.node("Gather", "event", new AttributeProto[] {intAttribute("axis", 0)},
                    weight(g, block, "event_embedding", false), OnnxSignature.INPUT_EVENTS));
        }
        x = g.node("Mul", "mask", x, mask3);

        String[] intervals = c.readsTime() ? intervals(g, block, mask) : null;
        for (int b = 0; b < c.blocks(); b++) {
            String p = "block" + b + ".";
            if (c.preLayerNorm()) {
                String h = layerNorm(g, block, p + "attention_norm", x);
                x = g.node("Add", "res", x,
                        attention(g, block, p, h, h, attentionMask, intervals, headShape, mergedShape, sqrtDh));
                String f = layerNorm(g, block, p + "feed_forward_norm", x);
                x = g.node("Add", "res", x, feedForward(g, block, p, f));
            } else {
                String q = layerNorm(g, block, p + "attention_norm", x);
                x = g.node("Add", "res", q,
                        attention(g, block, p, q, x, attentionMask, intervals, headShape, mergedShape, sqrtDh));
                x = layerNorm(g, block, p + "feed_forward_norm", x);
                x = g.node("Add", "res", x, feedForward(g, block, p, x));
            }
            x = g.node("Mul", "mask", x, mask3);
        }
        String hidden = layerNorm(g, block, "final_norm", x);
        String last = g.node("Gather", "last", new AttributeProto[] {intAttribute("axis", 1)}, hidden, lastIndex);
        float[] padding = new float[block.items() + 1];
        padding[0] = OnnxSignature.MASKED;
        // BERT4Rec's mask token is the table's last row, never an answer.
        String answers = !c.bidirectional() ? items : g.node("Slice", "answer_embedding", items,
                g.longs("first", new long[] {0}, 1),
                g.longs("answer_rows", new long[] {block.items() + 1L}, 1), g.longs("rows_axis", new long[] {0}, 1));
        String logits = g.node("Add", "no_padding",
                g.node("Gemm", "logits", new AttributeProto[] {intAttribute("transB", 1)}, last, answers),
                g.floats("padding_mask", padding, 1, block.items() + 1));
        String fill = g.node("Expand", "fill", masked, g.node("Shape", "exclude_shape", OnnxSignature.INPUT_EXCLUDE));
        String kept = g.node("ScatterElements", "excluded", new AttributeProto[] {intAttribute("axis", 1)},
                logits, OnnxSignature.INPUT_EXCLUDE, fill);
        g.nodeWithOutputs("TopK", new AttributeProto[] {intAttribute("axis", -1), intAttribute("largest", 1),
                intAttribute("sorted", 1)}, new String[] {kept, OnnxSignature.INPUT_K}, OnnxSignature.OUTPUT_SCORES, OnnxSignature.OUTPUT_ITEMS);
        g.output(OnnxSignature.OUTPUT_SCORES, DataType.FLOAT, "batch", "k");
        g.output(OnnxSignature.OUTPUT_ITEMS, DataType.INT64, "batch", "k");
        return g.build(producerVersion, c.displayName() + " next-item recommender (" + c + ", " + block.items() + " items)");
    }

    /**
     * As {@link dev.sequor.trainer.model.Histories#askForNext}: the history without its oldest
     * position, then BERT4Rec's mask token, so that the graph takes the same input as SASRec's.
     */
    private static String askForNext(OnnxGraphBuilder g, SasRecBlock block) {
        int length = block.config().maxLength();
        String columns = g.longs("columns_axis", new long[] {1}, 1);
        String recent = g.node("Slice", "recent", OnnxSignature.INPUT_HISTORY, g.longs("from_second", new long[] {1}, 1),
                g.longs("history_end", new long[] {length}, 1), columns);
        String batch = g.node("Slice", "batch_size", g.node("Shape", "history_shape", OnnxSignature.INPUT_HISTORY),
                g.longs("first", new long[] {0}, 1), g.longs("second", new long[] {1}, 1));
        String maskShape = g.node("Concat", "mask_column_shape", new AttributeProto[] {intAttribute("axis", 0)}, batch,
                g.longs("one_column", new long[] {1}, 1));
        String maskColumn = g.node("Expand", "mask_column", g.longs("mask_token",
                new long[] {SasRecConfig.maskToken(block.items())}, 1, 1), maskShape);
        return g.node("Concat", "asking", new AttributeProto[] {intAttribute("axis", 1)}, recent, maskColumn);
    }

    /**
     * TiSASRec's intervals as in {@link SasRecBlock#intervals} (the same float64 steps), looked up
     * in the key and the value interval embeddings, by row and head: [B, L (i), heads, L (j), hidden / heads].
     */
    private static String[] intervals(OnnxGraphBuilder g, SasRecBlock block, String mask) {
        SasRecConfig c = block.config();
        AttributeProto[] toDouble = {intAttribute("to", DataType.DOUBLE_VALUE)};
        String rows = g.longs("axis_2", new long[] {2}, 1);
        String columns = g.longs("axis_1", new long[] {1}, 1);
        String one = g.doubleScalar("one_f64", 1.0);
        String t = g.node("Cast", "time", toDouble, OnnxSignature.INPUT_TIMESTAMPS);
        String gap = g.node("Abs", "gap", g.node("Sub", "time_diff", g.node("Unsqueeze", "time_i", t, rows),
                g.node("Unsqueeze", "time_j", t, columns)));
        String real = g.node("Cast", "real_f64", toDouble, mask);
        String pairs = g.node("Mul", "real_pairs", g.node("Unsqueeze", "real_i", real, rows),
                g.node("Unsqueeze", "real_j", real, columns));
        String counted = g.node("Mul", "counted", pairs, g.node("Cast", "positive_gap", toDouble,
                g.node("Greater", "gap_positive", gap, g.doubleScalar("zero_f64", 0.0))));
        String noGap = g.doubleScalar("no_gap", SasRecBlock.NO_GAP);
        String candidates = g.node("Add", "candidates", g.node("Mul", "counted_gap", gap, counted),
                g.node("Mul", "uncounted", g.node("Sub", "not_counted", one, counted), noGap));
        String smallest = g.node("ReduceMin", "smallest_gap", new AttributeProto[] {intsAttribute("axes", 1, 2),
                intAttribute("keepdims", 1)}, candidates);
        String none = g.node("Cast", "no_gap_found", toDouble, g.node("GreaterOrEqual", "none", smallest, noGap));
        String unit = g.node("Add", "unit", g.node("Mul", "found", smallest, g.node("Sub", "some", one, none)), none);
        String index = g.node("Cast", "interval", new AttributeProto[] {intAttribute("to", DataType.INT64_VALUE)},
                g.node("Min", "clipped", g.node("Floor", "units", g.node("Div", "scaled_gap", gap, unit)),
                        g.doubleScalar("time_span", c.timeSpan())));
        String shape = g.longs("interval_head_shape", new long[] {0, c.maxLength(), c.maxLength(), c.heads(),
                c.hidden() / c.heads()}, 5);
        String[] out = new String[2];
        String[] names = {"interval_key_embedding", "interval_value_embedding"};
        for (int i = 0; i < 2; i++) {
            String e = g.node("Gather", names[i], new AttributeProto[] {intAttribute("axis", 0)},
                    weight(g, block, names[i], false), index);
            out[i] = g.node("Transpose", names[i] + "_heads", new AttributeProto[] {intsAttribute("perm", 0, 1, 3, 2, 4)},
                    g.node("Reshape", names[i] + "_split", e, shape));
        }
        return out;
    }

    private static String attention(OnnxGraphBuilder g, SasRecBlock block, String p, String queryIn, String kvIn,
            String attentionMask, String[] intervals, String headShape, String mergedShape, String sqrtDh) {
        String q = g.node("Transpose", "q", new AttributeProto[] {intsAttribute("perm", 0, 2, 1, 3)},
                g.node("Reshape", "q", linear(g, block, p + "query", queryIn), headShape));
        String kT = g.node("Transpose", "kT", new AttributeProto[] {intsAttribute("perm", 0, 2, 3, 1)},
                g.node("Reshape", "k", linear(g, block, p + "key", kvIn), headShape));
        String v = g.node("Transpose", "v", new AttributeProto[] {intsAttribute("perm", 0, 2, 1, 3)},
                g.node("Reshape", "v", linear(g, block, p + "value", kvIn), headShape));
        String qk = g.node("MatMul", "qk", q, kT);
        AttributeProto[] byHead = {intsAttribute("perm", 0, 2, 1, 3)};
        String axis3 = intervals == null ? null : g.longs("axis_3", new long[] {3}, 1);
        if (intervals != null) {
            // As in SasRecBlock: per (user, position, head), the query against its row's interval embeddings.
            String rows = g.node("MatMul", "q_interval", g.node("Unsqueeze", "q_row", g.node("Transpose", "q_by_row",
                    byHead, q), axis3), g.node("Transpose", "interval_keys_t",
                    new AttributeProto[] {intsAttribute("perm", 0, 1, 2, 4, 3)}, intervals[0]));
            qk = g.node("Add", "qk_time", qk, g.node("Transpose", "q_interval_heads", byHead,
                    g.node("Squeeze", "q_interval_rows", rows, axis3)));
        }
        String scores = g.node("Add", "masked", g.node("Div", "scaled", qk, sqrtDh), attentionMask);
        String weights = g.node("Softmax", "attn", new AttributeProto[] {intAttribute("axis", -1)}, scores);
        String av = g.node("MatMul", "av", weights, v);
        if (intervals != null) {
            String rows = g.node("MatMul", "weighted_interval", g.node("Unsqueeze", "weight_row",
                    g.node("Transpose", "weights_by_row", byHead, weights), axis3), intervals[1]);
            av = g.node("Add", "av_time", av, g.node("Transpose", "weighted_interval_heads", byHead,
                    g.node("Squeeze", "weighted_interval_rows", rows, axis3)));
        }
        String out = g.node("Transpose", "heads", new AttributeProto[] {intsAttribute("perm", 0, 2, 1, 3)}, av);
        return linear(g, block, p + "output", g.node("Reshape", "merged", out, mergedShape));
    }

    private static String feedForward(OnnxGraphBuilder g, SasRecBlock block, String p, String x) {
        return linear(g, block, p + "feed_forward2", g.node("Relu", "relu", linear(g, block, p + "feed_forward1", x)));
    }

    private static String linear(OnnxGraphBuilder g, SasRecBlock block, String name, String x) {
        return g.node("Add", name, g.node("MatMul", name, x, weight(g, block, name + ".weight", true)),
                weight(g, block, name + ".bias", false));
    }

    private static String layerNorm(OnnxGraphBuilder g, SasRecBlock block, String name, String x) {
        return g.node("LayerNormalization", name, new AttributeProto[] {intAttribute("axis", -1),
                floatAttribute("epsilon", 1e-8f)}, x, weight(g, block, name + ".gamma", false),
                weight(g, block, name + ".beta", false));
    }

    /** Registers a weight once; Linear weights are stored transposed ([in, out]) for MatMul. */
    private static String weight(OnnxGraphBuilder g, SasRecBlock block, String name, boolean transpose) {
        String stored = transpose ? name + ".T" : name;
        if (g.hasInitializer(stored)) {
            return stored;
        }
        NDArray array = block.namedParameters().get(name).getArray();
        if (transpose) {
            array = array.transpose();
        }
        return g.floats(stored, array.toFloatArray(), array.getShape().getShape());
    }
}
