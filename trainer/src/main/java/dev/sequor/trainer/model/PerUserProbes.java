package dev.sequor.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-user gradients in one batched backward pass, for DP-SGD's per-user clipping: every parameter
 * is used as {@code shared + probe[user]}, where the probe is zero and has a gradient of its own.
 * The forward pass computes the same values; after the backward pass each probe's gradient holds,
 * for every user, that user's gradient of the parameter — no loop over users.
 *
 * <p>The item embedding is too large to copy per user ([items, hidden] per user). It is probed
 * where it is looked up instead (inputs, targets, negatives): a user's gradient of the table is
 * the sum of its looked-up rows' gradients, and its squared norm is the sum over pairs of lookups
 * of the same item of their gradients' dot products (the "ghost norm" of an embedding). Rows all
 * users look up alike (a sampled softmax's shared negatives, distinct items) take the cheaper path:
 * their own squared norms, plus the cross terms with the user's other lookups of the same items.
 */
public final class PerUserProbes {

    private final NDManager manager;
    private final long users;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final List<NDArray> lookupIndices = new ArrayList<>();
    private final List<NDArray> lookupProbes = new ArrayList<>();
    private NDArray sharedIndices;
    private NDArray sharedProbe;

    /** Probes for {@code users} users, living (with everything computed from them) in the step's {@code manager}. */
    public PerUserProbes(NDManager manager, long users) {
        this.manager = manager;
        this.users = users;
    }

    /** {@code shared} with a leading user axis: [users, ...shape], each user's row its own leaf. */
    public NDArray perUser(String name, NDArray shared) {
        // The probe first: results belong to the first operand's manager (the step's, closed after it),
        // not the model's, which would keep every step's arrays and graph alive.
        NDArray probe = manager.zeros(new Shape(users).addAll(shared.getShape()));
        probe.setRequiresGradient(true);
        parameters.put(name, probe);
        return probe.add(shared);
    }

    /** Rows of the item embedding looked up at {@code indices} [users, n]: their values, probed. */
    public NDArray lookups(NDArray indices, NDArray looked) {
        NDArray probe = manager.zeros(looked.getShape());
        probe.setRequiresGradient(true);
        lookupIndices.add(indices.reshape(users, -1));
        lookupProbes.add(probe);
        return probe.add(looked);
    }

    /**
     * Rows every user looks up, {@code indices} [n] of distinct items with values {@code looked}
     * [n, hidden]: the values per user [users, n, hidden], probed. One such set per pass.
     */
    public NDArray sharedLookups(NDArray indices, NDArray looked) {
        if (sharedProbe != null) {
            throw new IllegalStateException("one set of shared lookups per pass");
        }
        sharedProbe = manager.zeros(new Shape(users).addAll(looked.getShape()));
        sharedProbe.setRequiresGradient(true);
        sharedIndices = indices.reshape(1, -1).repeat(0, users);
        return sharedProbe.add(looked);
    }

    /** Probes of the parameters used per user, by parameter name; after a backward pass, each holds [users, ...] gradients. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** Every item-embedding lookup of each user: indices [users, n]. */
    public NDArray lookupIndices() {
        NDList all = new NDList(lookupIndices);
        if (sharedIndices != null) {
            all.add(sharedIndices);
        }
        return NDArrays.concat(all, 1);
    }

    /** The gradients of those lookups, [users, n, hidden] (after a backward pass). */
    public NDArray lookupGradients() {
        NDList all = new NDList(perUserLookupGradients());
        if (sharedProbe != null) {
            all.add(sharedProbe.getGradient());
        }
        return NDArrays.concat(all, 1);
    }

    private List<NDArray> perUserLookupGradients() {
        List<NDArray> gradients = new ArrayList<>();
        for (NDArray probe : lookupProbes) {
            gradients.add(probe.getGradient().reshape(users, -1, probe.getShape().get(probe.getShape().dimension() - 1)));
        }
        return gradients;
    }

    /** Each user's squared L2 norm of the gradient over all parameters, [users] (after a backward pass). */
    public NDArray squaredNorms() {
        NDArray total = null;
        for (NDArray probe : parameters.values()) {
            NDArray gradient = probe.getGradient();
            int[] axes = new int[gradient.getShape().dimension() - 1];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i + 1;
            }
            NDArray squared = gradient.square().sum(axes);
            total = total == null ? squared : total.add(squared);
        }
        NDArray indices = lookupProbes.isEmpty() ? null : NDArrays.concat(new NDList(lookupIndices), 1);
        NDArray vectors = lookupProbes.isEmpty() ? null : NDArrays.concat(new NDList(perUserLookupGradients()), 1);
        if (vectors != null) {
            NDArray embedding = vectors.matMul(vectors.transpose(0, 2, 1)).mul(sameItem(indices, indices))
                    .sum(new int[] {1, 2});
            total = total == null ? embedding : total.add(embedding);
        }
        if (sharedProbe != null) {
            NDArray shared = sharedProbe.getGradient();
            NDArray own = shared.square().sum(new int[] {1, 2});
            total = total == null ? own : total.add(own);
            if (vectors != null) {
                // 2 Σ over a user's lookups and shared rows of the same item of their gradients' dot products.
                NDArray cross = vectors.matMul(shared.transpose(0, 2, 1)).mul(sameItem(indices, sharedIndices))
                        .sum(new int[] {1, 2});
                total = total.add(cross).add(cross);
            }
        }
        return total;
    }

    /** [users, a, b]: 1 where a's item is b's item. */
    private static NDArray sameItem(NDArray a, NDArray b) {
        return a.expandDims(2).eq(b.expandDims(1)).toType(DataType.FLOAT32, false);
    }
}
