package dev.sequor.trainer.privacy;

/** The run would take the model's data over its privacy budget: it does not train. */
public final class OverBudgetException extends RuntimeException {

    public OverBudgetException(String message) {
        super(message);
    }
}
