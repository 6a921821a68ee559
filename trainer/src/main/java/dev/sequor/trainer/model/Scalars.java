package dev.sequor.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a number on arrays that take part in a backward pass.
 *
 * <p>DJL's PyTorch engine (0.35) turns the number in {@code x.mul(2f)}, {@code div}, {@code pow},
 * {@code maximum} and {@code minimum} into a tensor over a Java direct buffer and closes it right
 * after the operation. Autograd keeps that tensor for the backward pass (the gradient of
 * {@code x * c} is {@code grad * c}), and once the garbage collector has freed the buffer the backward
 * pass reads whatever lies there: gradients of 1e-45 or 1e19, now and then, depending on when the
 * GC ran. The scalar made here is allocated by PyTorch, so the graph's reference keeps it alive.
 * Use these wherever the array may require a gradient.
 */
public final class Scalars {

    private Scalars() {}

    /** {@code x * c}. */
    public static NDArray times(NDArray x, float c) {
        try (NDArray scalar = scalar(x, c)) {
            return x.mul(scalar);
        }
    }

    /** {@code x / c}. */
    public static NDArray dividedBy(NDArray x, float c) {
        try (NDArray scalar = scalar(x, c)) {
            return x.div(scalar);
        }
    }

    /** {@code c / x} element-wise. */
    public static NDArray over(float c, NDArray x) {
        try (NDArray scalar = scalar(x, c)) {
            return scalar.div(x);
        }
    }

    /** {@code max(x, c)} element-wise. */
    public static NDArray atLeast(NDArray x, float c) {
        try (NDArray scalar = scalar(x, c)) {
            return x.maximum(scalar);
        }
    }

    private static NDArray scalar(NDArray like, float c) {
        return like.getManager().full(new Shape(), c, like.getDataType()).toDevice(like.getDevice(), false);
    }
}
