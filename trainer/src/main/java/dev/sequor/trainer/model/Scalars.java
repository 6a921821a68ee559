package dev.sequor.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

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
        return withScalar(x, c, NDArray::mul);
    }

    /** {@code x / c}. */
    public static NDArray dividedBy(NDArray x, float c) {
        return withScalar(x, c, NDArray::div);
    }

    /** {@code c / x} element-wise. */
    public static NDArray over(float c, NDArray x) {
        return withScalar(x, c, (array, scalar) -> scalar.div(array));
    }

    /** {@code max(x, c)} element-wise. */
    public static NDArray atLeast(NDArray x, float c) {
        return withScalar(x, c, NDArray::maximum);
    }

    /** {@code op(x, c)} with c as a PyTorch-owned scalar, closed here (the graph keeps its own reference). */
    private static NDArray withScalar(NDArray x, float c, BinaryOperator<NDArray> op) {
        try (NDArray scalar = scalar(x, c)) {
            return op.apply(x, scalar);
        }
    }

    private static NDArray scalar(NDArray like, float c) {
        return like.getManager().full(new Shape(), c, like.getDataType()).toDevice(like.getDevice(), false);
    }
}
